// What the chart takes from the trace's protocol, when it is known: the text
// of the rule each process fired (printed by the language's own expression
// printer), and the message types each Byzantine sender could have sent in a
// round, from which the chart draws the messages it withheld. Without the
// protocol the rules are shown by number and the message types are inferred
// from what was sent in the round.

import { protocolHash, shortHash } from '../ir/hash';
import type { Protocol, Rule } from '../ir/types';
import { printAction, printExpr } from '../lang/printer';
import type { RoundRecord, Trace } from './model';

export interface RuleText {
  /** 1-based, as the text export numbers rules. */
  number: number;
  /** `when GUARD` or `otherwise`. */
  guard: string;
  /** the actions, `;`-separated, or `skip`. */
  actions: string;
}

export interface RuleBook {
  protocol: Protocol;
  /** per round of a phase, its rules in order. */
  rounds: { name: string; rules: RuleText[] }[];
}

/** A rule as the printer writes it in a protocol file, split in guard and actions. */
function ruleText(rule: Rule, k: number): RuleText {
  return {
    number: k + 1,
    guard: rule.guard.kind === 'bool' && rule.guard.value ? 'otherwise' : `when ${printExpr(rule.guard)}`,
    actions: rule.actions.length === 0 ? 'skip' : rule.actions.map(printAction).join('; '),
  };
}

export const ruleLine = (r: RuleText): string => `${r.guard}: ${r.actions}`;

/**
 * The rule book of the trace's protocol; none, with a note for the page,
 * when the protocol given is not the one the trace ran (its hash differs).
 */
export function ruleBook(trace: Trace, protocol: Protocol | null): { book: RuleBook | null; note: string | null } {
  if (protocol === null) return { book: null, note: null };
  const hash = protocolHash(protocol);
  if (hash !== trace.protocol.hash) {
    return { book: null, note: `The protocol given (${protocol.name}, hash ${shortHash(hash)}) is not the one of this trace (hash ${shortHash(trace.protocol.hash)}): rules are shown by number.` };
  }
  return { book: { protocol, rounds: protocol.rounds.map((r) => ({ name: r.name, rules: r.rules.map(ruleText) })) }, note: null };
}

/** The rule a process fired in round `r`, or undefined when the book does not have it. */
export function firedRule(book: RuleBook | null, r: RoundRecord, fired: number): RuleText | undefined {
  if (book === null || book.rounds.length === 0) return undefined;
  const round = book.rounds[(r.round - 1) % book.rounds.length];
  return round?.name === r.name ? round.rules[fired] : undefined;
}

/** The message types sender `from` may send in round `r` (leader types only as the phase's leader). */
function typesOf(trace: Trace, r: RoundRecord, book: RuleBook | null): (from: number) => string[] {
  if (book !== null) {
    const p = book.protocol;
    const round = p.rounds[(r.round - 1) % p.rounds.length];
    const decls = [...new Set(round?.sends.map((s) => s.message) ?? [])].map((name) => p.messages.find((m) => m.name === name)).filter((m) => m !== undefined);
    return (from) => decls.filter((d) => !d.leader || from === r.leader).map((d) => d.name);
  }
  // Inferred: the types sent this round; a type only the leader sent is a leader type.
  const names = [...new Set([...r.sent, ...r.byzantine].map((m) => m.message))];
  const leaderOnly = new Set(
    names.filter((name) => {
      const senders = new Set([...r.sent, ...r.byzantine].filter((m) => m.message === name).map((m) => m.from));
      const correctOthers = trace.n - trace.byzantine.length - (trace.byzantine.includes(r.leader) ? 0 : 1);
      return senders.size === 1 && senders.has(r.leader) && correctOthers > 0;
    }),
  );
  return (from) => names.filter((name) => !leaderOnly.has(name) || from === r.leader);
}

/** A message a Byzantine process could have sent a correct receiver this round and did not. */
export interface Withheld {
  from: number;
  to: number;
  message: string;
}

export function withheldMessages(trace: Trace, r: RoundRecord, book: RuleBook | null): Withheld[] {
  const byz = new Set(trace.byzantine);
  const correct = Array.from({ length: trace.n }, (_, i) => i).filter((i) => !byz.has(i));
  const got = new Set(r.byzantine.map((m) => `${m.from}/${m.to}/${m.message}`));
  const types = typesOf(trace, r, book);
  const out: Withheld[] = [];
  for (const from of trace.byzantine) {
    for (const message of types(from)) for (const to of correct) if (!got.has(`${from}/${to}/${message}`)) out.push({ from, to, message });
  }
  return out;
}
