// The process encoding (docs/semantics.md section 3.3), the cross-check: one
// variable per (round, process, state variable); per (round, correct
// receiver, Byzantine sender, message type of the round) one Int saying what
// that sender sent that receiver: -1 nothing, k the k-th payload of the type
// (leader types: only from the phase's leader). The Byzantine set is fixed to
// the last f processes when the protocol has no leader messages (processes
// are symmetric then, docs/semantics.md section 4.4) and chosen by the solver
// otherwise; f itself ranges over 0..t unless the instance fixes it. Slow (n^2 Byzantine variables per round), simple, exact.

import { DECIDED, type Protocol, unreachable } from '../../ir/types';
import type { Property, Val } from '../../trace/model';
import * as T from '../term';
import { domainOf, position, roundTypes } from '../space';
import { bool, matches, NONE_CODE, pEval, type PEnv, type PVal } from './expr';

export interface ProcessInstance {
  n: number;
  t: number;
  /** Byzantine processes: fixed, or absent for every f in 0..t (see ../counter/encode.ts CounterInstance). */
  f?: number;
  rounds: number;
}

export interface ProcessEncoding {
  protocol: Protocol;
  instance: ProcessInstance;
  property: Property;
  q: T.Query;
  /** byzantine[i]: a constant or the name of a Bool variable */
  byz: (boolean | string)[];
  /** name of a state variable: `s{g}_{i}_{var index}` */
  stateVar: (g: number, i: number, v: number) => string;
  /** name of the fired-rule variable (-1: none) for round g >= 1 */
  firedVar: (g: number, i: number) => string;
  /** Byzantine message variable, if declared */
  byzVar: (g: number, to: number, from: number, mi: number) => string;
}

export function encodeProcess(p: Protocol, inst: ProcessInstance, property: Property): ProcessEncoding {
  const q = new T.Query();
  const { n, f } = inst;
  const N = T.num(n);
  const Tt = T.num(inst.t);
  const usesLeaders = p.messages.some((m) => m.leader);
  // Without leaders the Byzantine set is the last f processes (symmetry), so
  // for an open f the last t are candidates and being Byzantine is upward
  // closed among them; with leaders any set of the right size.
  const most = f ?? inst.t;
  const byz: (boolean | string)[] = Array.from({ length: n }, (_, i) => (usesLeaders || (f === undefined && i >= n - most) ? `byz${i}` : i >= n - most));
  const byzT = byz.map((b) => (typeof b === 'boolean' ? T.bool(b) : q.bool(b)));
  const byzCount = T.add(...byzT.map(T.b2i));
  q.assert(f === undefined ? T.le(byzCount, Tt) : T.eq(byzCount, T.num(f)));
  if (!usesLeaders && f === undefined) for (let i = Math.max(0, n - most); i + 1 < n; i++) q.assert(T.implies(byzT[i] as T.BTerm, byzT[i + 1] as T.BTerm));
  const vars = [...p.vars.map((v) => ({ name: v.name, type: v.type, init: v.init })), { name: DECIDED, type: { kind: 'optvalue' as const }, init: null }];
  const stateVar = (g: number, i: number, v: number): string => `s${g}_${i}_${v}`;
  const firedVar = (g: number, i: number): string => `fr${g}_${i}`;
  const byzVar = (g: number, to: number, from: number, mi: number): string => `b${g}_${to}_${from}_${mi}`;
  const correct = (i: number): T.BTerm => T.not(byzT[i] as T.BTerm);

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
  const setEq = (i: number, a: PVal, b: PVal): void => {
    const same = a.kind === 'bool' && b.kind === 'bool' ? T.or(T.and(a.t, b.t), T.and(T.not(a.t), T.not(b.t))) : a.kind === 'int' && b.kind === 'int' ? T.eq(a.t, b.t) : T.FALSE;
    q.assert(T.implies(correct(i), same));
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
        : pEval(v.init, { vars: new Map(), phase: 1, n: N, t: Tt, values: p.values, domain: () => [] });
      setEq(i, st.get(v.name) as PVal, init);
    }
  }

  // ---- rounds ----
  for (let g = 1; g <= inst.rounds; g++) {
    const pos = position(p, g);
    const leader = (pos.phase - 1) % n;
    const types = roundTypes(p, pos.index);
    const round = p.rounds[pos.index];
    if (round === undefined) throw new Error('process: no round');
    const pre = states[g - 1] as Map<string, PVal>[];
    const env = (i: number): PEnv => ({ vars: pre[i] as Map<string, PVal>, phase: pos.phase, n: N, t: Tt, values: p.values, domain: (m) => domainOf(p.values, types.find((d) => d.name === m)?.payload ?? null) });
    // what each sender broadcasts: per type, (sends?, payload)
    const sent = Array.from({ length: n }, (_, j) =>
      round.sends.map((s, k) => {
        const decl = types[k];
        if (decl === undefined) throw new Error('process: send without declaration');
        const eligible = decl.leader ? j === leader : true;
        const on = T.and(correct(j), T.bool(eligible), s.when === null ? T.TRUE : bool(s.when, env(j)));
        const payload: PVal | null = s.payload === null ? null : pEval(s.payload, env(j));
        return { decl, on, payload };
      }),
    );
    const post = declareState(g);
    states.push(post);
    for (let i = 0; i < n; i++) {
      if (byz[i] === true) continue; // what a fixed Byzantine process receives is irrelevant
      const byzIn = new Map<string, T.ITerm[]>(); // per type: Byzantine choices of every sender
      for (const [k, decl] of types.entries()) {
        const mi = p.messages.indexOf(decl);
        const dom = domainOf(p.values, decl.payload);
        const list: T.ITerm[] = [];
        for (let j = 0; j < n; j++) {
          if (byz[j] === false || (decl.leader && j !== leader)) continue;
          const b = q.intIn(byzVar(g, i, j, mi), -1, dom.length - 1);
          q.assert(T.or(byzT[j] as T.BTerm, T.eq(b, T.num(-1))));
          list.push(b);
        }
        byzIn.set(`${k}`, list);
      }
      const count = (m: string, pl: Val): T.ITerm => {
        const k = types.findIndex((d) => d.name === m);
        const decl = types[k];
        if (decl === undefined) throw new Error(`process: ${m} not sent in this round`);
        const idx = domainOf(p.values, decl.payload).indexOf(pl);
        const fromCorrect = sent.map((row) => {
          const s = row[k] as (typeof row)[number];
          return T.b2i(T.and(s.on, s.payload === null ? T.TRUE : matches(s.payload, pl)));
        });
        const fromByz = (byzIn.get(`${k}`) ?? []).map((b) => T.b2i(T.eq(b, T.num(idx))));
        return T.add(...fromCorrect, ...fromByz);
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
      for (const v of vars) setEq(i, post[i]?.get(v.name) as PVal, next.get(v.name) as PVal);
      q.assert(T.eq(q.int(firedVar(g, i)), fired));
    }
  }

  // ---- the violation (decisions are irrevocable: round R suffices) ----
  const dec = (i: number): T.ITerm => {
    const d = states[inst.rounds]?.[i]?.get(DECIDED);
    if (d === undefined || d.kind !== 'int') throw new Error('process: no decision variable');
    return d.t;
  };
  const ids = Array.from({ length: n }, (_, i) => i);
  switch (property) {
    case 'agreement':
      q.assert(T.or(...ids.flatMap((i) => ids.filter((j) => j > i).map((j) => T.and(correct(i), correct(j), T.ge(dec(i), T.num(0)), T.ge(dec(j), T.num(0)), T.ne(dec(i), dec(j)))))));
      break;
    case 'validity': {
      const vin = q.intIn('vin', 0, p.values - 1);
      for (const i of ids) q.assert(T.or(byzT[i] as T.BTerm, T.eq(inputs[i] as T.ITerm, vin)));
      q.assert(T.or(...ids.map((i) => T.and(correct(i), T.ge(dec(i), T.num(0)), T.ne(dec(i), vin)))));
      break;
    }
    case 'termination':
      q.assert(T.or(...ids.map((i) => T.and(correct(i), T.eq(dec(i), T.num(NONE_CODE))))));
      break;
    default:
      unreachable(property);
  }
  return { protocol: p, instance: inst, property, q, byz, stateVar, firedVar, byzVar };
}
