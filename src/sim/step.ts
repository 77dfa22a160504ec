// One lock-step round (docs/semantics.md section 1.4): sends of correct processes,
// receive (correct broadcasts plus Byzantine messages per receiver), and the
// first-match rule update with parallel assignment.

import { evalBool, evalExpr, type EvalEnv, type Inbox } from '../ir/eval';
import { typeDomain } from '../ir/domain';
import { DECIDED, type MessageDecl, type Protocol, type Type, unreachable } from '../ir/types';
import type { Broadcast, ByzantineMessage, LocalState, Val, Withheld } from '../trace/model';
import { followersOf, isFaulty, processFault, type Instance } from './instance';

/** Where a global round sits: its phase, its index within the phase, the phase's leader. */
export interface RoundPosition {
  round: number; // global, from 1
  phase: number; // from 1
  index: number; // 0-based index into protocol.rounds
  leader: number; // process (phase-1) mod n
}

export function roundPosition(protocol: Protocol, n: number, round: number): RoundPosition {
  const perPhase = protocol.rounds.length;
  const phase = Math.floor((round - 1) / perPhase) + 1;
  return { round, phase, index: (round - 1) % perPhase, leader: (phase - 1) % n };
}

export function roundName(protocol: Protocol, index: number): string {
  const round = protocol.rounds[index];
  if (round === undefined) throw new Error(`no round with index ${index}`);
  return round.name;
}

export function messageDecl(protocol: Protocol, name: string): MessageDecl {
  const decl = protocol.messages.find((m) => m.name === name);
  if (decl === undefined) throw new Error(`unknown message type '${name}'`);
  return decl;
}

/** Whether some round sends a leader message (then process ids matter). */
export function usesLeaderMessages(protocol: Protocol): boolean {
  return protocol.rounds.some((r) => r.sends.some((s) => messageDecl(protocol, s.message).leader));
}

/** The message types a round sends (in send order): the ones Byzantine processes may send too. */
export function roundMessages(protocol: Protocol, index: number): MessageDecl[] {
  const round = protocol.rounds[index];
  if (round === undefined) throw new Error(`no round with index ${index}`);
  return round.sends.map((s) => messageDecl(protocol, s.message));
}

/** Every payload a message of this type can carry (null for none, or no payload). */
export function payloadDomain(protocol: Protocol, type: Type | null): Val[] {
  return typeDomain(protocol.values, type);
}

/** The parameters of an evaluation environment: o only when given (a hybrid instance). */
export function initialState(protocol: Protocol, n: number, t: number, input: number, o?: number): LocalState {
  const state: LocalState = {};
  const env: EvalEnv = { n, t, o, phase: 1, values: protocol.values, state: {} };
  for (const v of protocol.vars) state[v.name] = v.init === 'input' ? input : evalExpr(v.init, env);
  state[DECIDED] = null;
  return state;
}

/** What correct process `from` broadcasts this round; leader messages only if it leads the phase. */
export function sendsOf(protocol: Protocol, n: number, t: number, pos: RoundPosition, from: number, state: LocalState, o?: number): Broadcast[] {
  const env: EvalEnv = { n, t, o, phase: pos.phase, values: protocol.values, state };
  const out: Broadcast[] = [];
  for (const send of protocol.rounds[pos.index]?.sends ?? []) {
    if (messageDecl(protocol, send.message).leader && from !== pos.leader) continue;
    if (send.when !== null && !evalBool(send.when, env)) continue;
    out.push({ from, message: send.message, payload: send.payload === null ? null : evalExpr(send.payload, env) });
  }
  return out;
}

export type MutableInbox = Map<string, Map<Val, number>>;

export function addToInbox(inbox: MutableInbox, message: string, payload: Val, count = 1): void {
  let perPayload = inbox.get(message);
  if (perPayload === undefined) {
    perPayload = new Map();
    inbox.set(message, perPayload);
  }
  perPayload.set(payload, (perPayload.get(payload) ?? 0) + count);
}

export function inboxOfBroadcasts(sent: readonly Broadcast[]): MutableInbox {
  const inbox: MutableInbox = new Map();
  for (const b of sent) addToInbox(inbox, b.message, b.payload);
  return inbox;
}

export function cloneInbox(inbox: Inbox): MutableInbox {
  const copy: MutableInbox = new Map();
  for (const [m, perPayload] of inbox) copy.set(m, new Map(perPayload));
  return copy;
}

export interface RuleOutcome {
  state: LocalState;
  /** index of the rule that fired, null if no guard held (state unchanged). */
  fired: number | null;
}

/** The first rule whose guard holds fires; all right-hand sides read the state before the rule. */
export function applyRules(protocol: Protocol, n: number, t: number, pos: RoundPosition, state: LocalState, inbox: Inbox, o?: number): RuleOutcome {
  const env: EvalEnv = { n, t, o, phase: pos.phase, values: protocol.values, state, inbox };
  const rules = protocol.rounds[pos.index]?.rules ?? [];
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r]!;
    if (!evalBool(rule.guard, env)) continue;
    const next: LocalState = { ...state };
    for (const action of rule.actions) {
      const value = evalExpr(action.value, env);
      switch (action.kind) {
        case 'assign':
          next[action.name] = value;
          break;
        case 'decide':
          if (typeof value !== 'number') throw new Error(`decide of a non-value ${JSON.stringify(value)}`);
          // Decisions are irrevocable: a later decide is ignored.
          if (state[DECIDED] === null) next[DECIDED] = value;
          break;
        default:
          unreachable(action);
      }
    }
    return { state: next, fired: r };
  }
  return { state, fired: null };
}

/**
 * Checks Byzantine messages against the binding semantics: sender Byzantine,
 * receiver in range, message type sent in this round, leader messages only
 * from the phase's leader, payload of the right type, and per (sender,
 * receiver, type) at most one message. Returns a description of the first
 * problem, or null.
 */
export function checkByzantine(protocol: Protocol, instance: Instance, pos: RoundPosition, msgs: readonly ByzantineMessage[]): string | null {
  const types = roundMessages(protocol, pos.index);
  const seen = new Set<string>();
  for (const m of msgs) {
    const where = `round ${pos.round}: Byzantine message ${m.message} from ${m.from} to ${m.to}`;
    if (!Number.isInteger(m.from) || m.from < 0 || m.from >= instance.n || !instance.isByzantine[m.from]) {
      return `${where}: sender is not a Byzantine process${processFault(instance, m.from) === 'omission' ? ' (it is omission-faulty: it follows the protocol, and its messages can only be withheld)' : ''}`;
    }
    if (!Number.isInteger(m.to) || m.to < 0 || m.to >= instance.n) return `${where}: receiver out of range`;
    const decl = types.find((d) => d.name === m.message);
    if (decl === undefined) return `${where}: message type is not sent in this round`;
    if (decl.leader && m.from !== pos.leader) return `${where}: only the phase's leader (${pos.leader}) sends ${m.message}`;
    if (!payloadDomain(protocol, decl.payload).some((p) => p === m.payload)) {
      return `${where}: payload ${JSON.stringify(m.payload)} is not of the message's type`;
    }
    const key = `${m.from}/${m.to}/${m.message}`;
    if (seen.has(key)) return `${where}: more than one message of this type to this receiver`;
    seen.add(key);
  }
  return null;
}

export interface RoundOutcome {
  sent: Broadcast[];
  fired: (number | null)[];
  states: (LocalState | null)[];
}

/**
 * The adversary's crash and omission choices in one round (docs/semantics.md
 * section 1.7): the faulty processes that crash in it, and the messages in
 * `sent` kept from a receiver.
 */
export interface FaultDecision {
  crashed: readonly number[];
  withheld: readonly Withheld[];
}

export const NO_FAULTS: FaultDecision = { crashed: [], withheld: [] };

/**
 * Runs one round for every process that follows the protocol and has not
 * crashed: the correct ones and, under crash and omission faults, the
 * faulty ones. A process crashing this round sends (its messages reach the
 * receivers not named in `withheld`) and takes no step: its state becomes
 * null. Byzantine messages must have passed checkByzantine, fault decisions
 * checkFaults.
 */
export function stepRound(
  protocol: Protocol,
  instance: Instance,
  pos: RoundPosition,
  states: readonly (LocalState | null)[],
  byzantine: readonly ByzantineMessage[],
  faults: FaultDecision = NO_FAULTS,
): RoundOutcome {
  const { n, t, o } = instance;
  const alive = followersOf(instance).filter((i) => (states[i] ?? null) !== null || !isFaulty(instance, i));
  const sent: Broadcast[] = [];
  for (const i of alive) sent.push(...sendsOf(protocol, n, t, pos, i, stateOf(states, i), o));
  const common = inboxOfBroadcasts(sent);
  const extra = new Map<number, { message: string; payload: Val; sign: 1 | -1 }[]>();
  const push = (to: number, message: string, payload: Val, sign: 1 | -1): void => {
    const list = extra.get(to);
    if (list === undefined) extra.set(to, [{ message, payload, sign }]);
    else list.push({ message, payload, sign });
  };
  for (const m of byzantine) {
    if (instance.isByzantine[m.to]) continue; // what a Byzantine process receives is irrelevant
    push(m.to, m.message, m.payload, 1);
  }
  const payloads = sentPayloads(sent);
  for (const w of faults.withheld) {
    const payload = payloads.get(`${w.from}/${w.message}`);
    if (payload === undefined) throw new Error(`withheld ${w.message} from ${w.from} was not sent`);
    push(w.to, w.message, payload, -1);
  }
  const crashing = new Set(faults.crashed);
  const fired: (number | null)[] = new Array<number | null>(n).fill(null);
  const next: (LocalState | null)[] = new Array<LocalState | null>(n).fill(null);
  for (const i of alive) {
    if (crashing.has(i)) continue;
    const mine = extra.get(i);
    let inbox: Inbox = common;
    if (mine !== undefined) {
      const own = cloneInbox(common);
      for (const m of mine) addToInbox(own, m.message, m.payload, m.sign);
      inbox = own;
    }
    const outcome = applyRules(protocol, n, t, pos, stateOf(states, i), inbox, o);
    fired[i] = outcome.fired;
    next[i] = outcome.state;
  }
  return { sent, fired, states: next };
}

/**
 * Checks the crash and omission choices of one round against docs/semantics.md
 * section 1.7, given the states before the round and what was sent in it.
 * Byzantine protocols have neither; crash: only faulty processes that have
 * not crashed, each once, and only messages of a process crashing in this
 * round are withheld; omission: nobody crashes, only messages of faulty
 * senders are withheld; hybrid (section 1.9): as omission, and the senders
 * must be omission-faulty, not Byzantine (a Byzantine process withholds by
 * not sending). Every withheld message was sent, to a receiver that
 * exists, and is listed once. Returns the first problem, or null.
 */
export function checkFaults(instance: Instance, pos: RoundPosition, states: readonly (LocalState | null)[], sent: readonly Broadcast[], faults: FaultDecision): string | null {
  const kind = instance.kind ?? 'byzantine';
  const at = `round ${pos.round}`;
  if (kind === 'byzantine') {
    if (faults.crashed.length > 0 || faults.withheld.length > 0) return `${at}: processes of a Byzantine protocol neither crash nor have messages withheld`;
    return null;
  }
  // the senders whose messages may be withheld: crash- or omission-faulty, never Byzantine
  const faulty = (i: number): boolean => {
    const f = processFault(instance, i);
    return f === 'crash' || f === 'omission';
  };
  const seen = new Set<number>();
  for (const c of faults.crashed) {
    if (kind !== 'crash') return `${at}: process ${c} crashes, but the protocol's faults are ${kind === 'hybrid' ? 'Byzantine and omission faults' : 'omissions'}`;
    if (!Number.isInteger(c) || c < 0 || c >= instance.n) return `${at}: crashed process ${c} is out of range 0..${instance.n - 1}`;
    if (!faulty(c)) return `${at}: process ${c} crashes but is not faulty`;
    if (seen.has(c)) return `${at}: process ${c} is listed as crashing twice`;
    if ((states[c] ?? null) === null) return `${at}: process ${c} crashes again (it crashed in an earlier round)`;
    seen.add(c);
  }
  const keys = new Set<string>();
  const payloads = sentPayloads(sent);
  for (const w of faults.withheld) {
    const where = `${at}: withheld ${w.message} from ${w.from} to ${w.to}`;
    if (!Number.isInteger(w.from) || w.from < 0 || w.from >= instance.n || !faulty(w.from)) return `${where}: the sender is ${instance.isByzantine[w.from] === true ? 'Byzantine (it withholds by not sending: its messages are in `byzantine`), not omission-faulty' : 'not faulty'}`;
    if (!Number.isInteger(w.to) || w.to < 0 || w.to >= instance.n) return `${where}: receiver out of range 0..${instance.n - 1}`;
    if (kind === 'crash' && !seen.has(w.from)) return `${where}: the sender does not crash in this round, so all its messages arrive`;
    if (!payloads.has(`${w.from}/${w.message}`)) return `${where}: the sender did not send ${w.message} in this round`;
    const key = `${w.from}/${w.to}/${w.message}`;
    if (keys.has(key)) return `${where}: listed twice`;
    keys.add(key);
  }
  return null;
}

/** Whether a round had a new fault (docs/semantics.md section 1.8): a crash, or a withheld message. */
export function faultyRound(faults: FaultDecision): boolean {
  return faults.crashed.length > 0 || faults.withheld.length > 0;
}

/** Payload per `from/message` of what was sent this round. */
function sentPayloads(sent: readonly Broadcast[]): Map<string, Val> {
  return new Map(sent.map((b) => [`${b.from}/${b.message}`, b.payload]));
}

function stateOf(states: readonly (LocalState | null)[], i: number): LocalState {
  const s = states[i];
  if (s === null || s === undefined) throw new Error(`correct process ${i} has no state`);
  return s;
}
