// The process encoding (docs/semantics.md section 3.3), the cross-check: one
// variable per (round, process, state variable). Byzantine faults: per
// (round, correct receiver, Byzantine sender, message type of the round) one
// Int saying what that sender sent that receiver: -1 nothing, k the k-th
// payload of the type (leader types: only from the phase's leader). Crash and
// omission faults: per (round, sender that may be faulty, receiver, message
// type) a Bool saying whether the message reached the receiver (./faults.ts).
// Receiver counts are sums over senders of "sent and delivered". Hybrid
// faults: both, Byzantine senders with message variables (to every receiver
// that is not Byzantine, omission-faulty ones included) and omission-faulty
// senders with delivery Bools. The faulty
// set, f in 0..min(bound, n) and the crash rounds are in ./faults.ts, the
// violation of the queried property in ./violation.ts. Slow (n^2 variables
// per round), simple, exact.

import { evalParamInt } from '../../ir/eval';
import { DECIDED, type Protocol, type PropertyName } from '../../ir/types';
import type { Val } from '../../trace/model';
import * as T from '../term';
import { domainOf, position, roundTypes } from '../space';
import { bool, matches, NONE_CODE, pEval, type PEnv, type PVal } from './expr';
import { cleanRound, declareDelivered, declareFaults, deliveredVar, type Faults } from './faults';
import { assertViolation } from './violation';

export interface ProcessInstance {
  n: number;
  t: number;
  /** hybrid faults only (required there): the omission parameter o */
  o?: number;
  /** faulty processes (hybrid: Byzantine ones): fixed, or absent for every f in 0..min(bound, n) (see ../counter/encode.ts CounterInstance). */
  f?: number;
  /** hybrid faults only: omission-faulty processes, fixed; absent: every count up to the omission bound */
  fo?: number;
  rounds: number;
}

/** A send of one process in one round: whether it happens, and its payload (null: the type has none). */
export interface SendTerm {
  message: string;
  on: T.BTerm;
  payload: PVal | null;
}

export interface ProcessEncoding {
  protocol: Protocol;
  instance: ProcessInstance;
  property: PropertyName;
  q: T.Query;
  /** the adversary: faulty set, crash rounds, who follows the protocol when */
  faults: Faults;
  /** byzantine[i] (for Byzantine faults; the faulty set otherwise, see Faults.faulty): a constant or the name of a Bool variable */
  byz: (boolean | string)[];
  /** sends[g-1][j][k]: sender j's k-th send of round g */
  sends: SendTerm[][][];
  /** name of a state variable: `s{g}_{i}_{var index}` */
  stateVar: (g: number, i: number, v: number) => string;
  /** name of the fired-rule variable (-1: none) for round g >= 1 */
  firedVar: (g: number, i: number) => string;
  /** Byzantine message variable, if declared */
  byzVar: (g: number, to: number, from: number, mi: number) => string;
  /** delivery variable of a sender that may be crash- or omission-faulty */
  deliveredVar: (g: number, from: number, to: number, k: number) => string;
}

export function encodeProcess(p: Protocol, inst: ProcessInstance, property: PropertyName): ProcessEncoding {
  const q = new T.Query();
  const { n } = inst;
  const N = T.num(n);
  const Tt = T.num(inst.t);
  const O = inst.o === undefined ? undefined : T.num(inst.o);
  const params = O === undefined ? { n: N, t: Tt } : { n: N, t: Tt, o: O };
  const fl = declareFaults(p, inst, q);
  const byz = fl.faulty;
  // who may send Byzantine messages, who may have messages withheld
  const byzantineSenders = fl.kind === 'byzantine' || fl.kind === 'hybrid';
  const dropping = fl.kind !== 'byzantine';
  const vars = [...p.vars.map((v) => ({ name: v.name, type: v.type, init: v.init })), { name: DECIDED, type: { kind: 'optvalue' as const }, init: null }];
  const stateVar = (g: number, i: number, v: number): string => `s${g}_${i}_${v}`;
  const firedVar = (g: number, i: number): string => `fr${g}_${i}`;
  const byzVar = (g: number, to: number, from: number, mi: number): string => `b${g}_${to}_${from}_${mi}`;

  // state of process i after round g
  const states: Map<string, PVal>[][] = [];
  const declareState = (g: number): Map<string, PVal>[] =>
    Array.from({ length: n }, (_, i) => {
      const m = new Map<string, PVal>();
      vars.forEach((v, k) => {
        const name = stateVar(g, i, k);
        if (v.type.kind === 'bool') m.set(v.name, { kind: 'bool', t: q.bool(name) });
        else m.set(v.name, { kind: 'int', t: q.intIn(name, v.type.kind === 'optvalue' ? NONE_CODE : 0, p.values - 1) });
      });
      return m;
    });
  // the state of i at boundary g is `b` when i follows the protocol up to g
  const setEq = (g: number, i: number, a: PVal, b: PVal): void => {
    const same = a.kind === 'bool' && b.kind === 'bool' ? T.or(T.and(a.t, b.t), T.and(T.not(a.t), T.not(b.t))) : a.kind === 'int' && b.kind === 'int' ? T.eq(a.t, b.t) : T.FALSE;
    q.assert(T.implies(fl.follows(g, i), same));
  };

  // ---- inputs, initial states ----
  const inputs = Array.from({ length: n }, (_, i) => q.intIn(`inp${i}`, 0, p.values - 1));
  states.push(declareState(0));
  for (let i = 0; i < n; i++) {
    const st = states[0]?.[i] as Map<string, PVal>;
    for (const v of vars) {
      const init: PVal =
        v.init === null ? { kind: 'int', t: T.num(NONE_CODE) }
        : v.init === 'input' ? { kind: 'int', t: inputs[i] as T.ITerm }
        : pEval(v.init, { vars: new Map(), phase: 1, ...params, values: p.values, domain: () => [] });
      setEq(0, i, st.get(v.name) as PVal, init);
    }
  }

  // ---- rounds ----
  const allSends: SendTerm[][][] = [];
  const clean: T.BTerm[] = [];
  for (let g = 1; g <= inst.rounds; g++) {
    const pos = position(p, g);
    const leader = (pos.phase - 1) % n;
    const types = roundTypes(p, pos.index);
    const round = p.rounds[pos.index];
    if (round === undefined) throw new Error('process: no round');
    const pre = states[g - 1] as Map<string, PVal>[];
    const env = (i: number): PEnv => ({ vars: pre[i] as Map<string, PVal>, phase: pos.phase, ...params, values: p.values, domain: (m) => domainOf(p.values, types.find((d) => d.name === m)?.payload ?? null) });
    // what each sender broadcasts: per type, (sends?, payload)
    const sent = Array.from({ length: n }, (_, j) =>
      round.sends.map((s, k) => {
        const decl = types[k];
        if (decl === undefined) throw new Error('process: send without declaration');
        const eligible = decl.leader ? j === leader : true;
        const on = T.and(fl.sends(g, j), T.bool(eligible), s.when === null ? T.TRUE : bool(s.when, env(j)));
        const payload: PVal | null = s.payload === null ? null : pEval(s.payload, env(j));
        return { decl, on, payload };
      }),
    );
    allSends.push(sent.map((row) => row.map((s) => ({ message: s.decl.name, on: s.on, payload: s.payload }))));
    const post = declareState(g);
    states.push(post);
    // crash and omission: what reached whom (declared for every receiver, so a clean round can speak of it)
    const delivered = new Map<string, T.BTerm>();
    if (dropping) {
      for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) for (let k = 0; k < types.length; k++) delivered.set(deliveredVar(g, j, i, k), declareDelivered(fl, q, g, j, i, k));
    }
    const got = (j: number, i: number, k: number): T.BTerm => delivered.get(deliveredVar(g, j, i, k)) ?? T.TRUE;
    for (let i = 0; i < n; i++) {
      if (!fl.receives(i)) continue; // what a fixed Byzantine process receives is irrelevant
      const byzIn = new Map<string, T.ITerm[]>(); // per type: Byzantine choices of every sender
      if (byzantineSenders) {
        for (const [k, decl] of types.entries()) {
          const mi = p.messages.indexOf(decl);
          const dom = domainOf(p.values, decl.payload);
          const list: T.ITerm[] = [];
          for (let j = 0; j < n; j++) {
            if (fl.byzantine[j] === false || (decl.leader && j !== leader)) continue;
            const b = q.intIn(byzVar(g, i, j, mi), -1, dom.length - 1);
            q.assert(T.or(fl.byzantineT[j] as T.BTerm, T.eq(b, T.num(-1))));
            list.push(b);
          }
          byzIn.set(`${k}`, list);
        }
      }
      const count = (m: string, pl: Val): T.ITerm => {
        const k = types.findIndex((d) => d.name === m);
        const decl = types[k];
        if (decl === undefined) throw new Error(`process: ${m} not sent in this round`);
        const idx = domainOf(p.values, decl.payload).indexOf(pl);
        const fromFollowers = sent.map((row, j) => {
          const s = row[k] as (typeof row)[number];
          return T.b2i(T.and(s.on, got(j, i, k), s.payload === null ? T.TRUE : matches(s.payload, pl)));
        });
        const fromByz = (byzIn.get(`${k}`) ?? []).map((b) => T.b2i(T.eq(b, T.num(idx))));
        return T.add(...fromFollowers, ...fromByz);
      };
      const e: PEnv = { ...env(i), count };
      let fired: T.ITerm = T.num(-1);
      const next = new Map<string, PVal>(pre[i] as Map<string, PVal>);
      const guards = round.rules.map((r) => bool(r.guard, e));
      // ite chains built from the last rule backwards: the first that holds wins
      for (let r = round.rules.length - 1; r >= 0; r--) {
        const rule = round.rules[r];
        const gd = guards[r] as T.BTerm;
        if (rule === undefined) continue;
        fired = T.ite(gd, T.num(r), fired);
        for (const v of vars) {
          const old = pre[i]?.get(v.name) as PVal;
          let val: PVal = old;
          for (const a of rule.actions) {
            if (a.kind === 'assign' && a.name === v.name) val = pEval(a.value, e);
            if (a.kind === 'decide' && v.name === DECIDED && old.kind === 'int') {
              const d = pEval(a.value, e);
              if (d.kind !== 'int') throw new Error('process: decide of a boolean');
              val = { kind: 'int', t: T.ite(T.eq(old.t, T.num(NONE_CODE)), d.t, old.t) };
            }
          }
          const cur = next.get(v.name) as PVal;
          if (val.kind === 'bool' && cur.kind === 'bool') next.set(v.name, { kind: 'bool', t: T.or(T.and(gd, val.t), T.and(T.not(gd), cur.t)) });
          else if (val.kind === 'int' && cur.kind === 'int') next.set(v.name, { kind: 'int', t: T.ite(gd, val.t, cur.t) });
          else throw new Error('process: ill-typed assignment');
        }
      }
      for (const v of vars) setEq(g, i, post[i]?.get(v.name) as PVal, next.get(v.name) as PVal);
      q.assert(T.eq(q.int(firedVar(g, i)), fired));
    }
    if (fl.kind === 'crash' || fl.kind === 'omission') clean.push(cleanRound(fl, n, g, types.length, (j, i, k) => T.and((sent[j]?.[k] as (typeof sent)[number][number]).on, T.not(got(j, i, k)))));
  }

  // ---- assumptions on the schedule (docs/semantics.md section 1.8) ----
  for (const a of p.assumptions) {
    if (fl.kind === 'byzantine' || fl.kind === 'hybrid') throw new Error(`process: ${fl.kind} protocols cannot assume a clean round`);
    // some round among 1..within is clean. As in the simulator and exploration
    // (src/sim/simulate.ts), which reject a run only when it reaches round
    // `within` without a clean round: a run shorter than `within` rounds is not
    // constrained (it can be extended by clean rounds), and neither is any run
    // when `within` < 1 (no round is `within`; never a vacuous proof).
    const within = evalParamInt(a.within, n, inst.t, inst.o);
    if (within >= 1 && within <= inst.rounds) q.assert(T.or(...clean.slice(0, within)));
  }

  assertViolation(q, { p, inst, property, faults: fl, states, inputs, N, Tt, ...(O === undefined ? {} : { O }) });
  const deliveredName = (g: number, from: number, to: number, k: number): string => deliveredVar(g, from, to, k);
  return { protocol: p, instance: inst, property, q, faults: fl, byz, sends: allSends, stateVar, firedVar, byzVar, deliveredVar: deliveredName };
}
