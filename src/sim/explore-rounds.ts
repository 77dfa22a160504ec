// What the adversary can make each receiver get in one round of exhaustive
// exploration (docs/semantics.md sections 1.6, 1.7, 3.5), as counts.
//
// A receiver's update depends only on its counts per (message type,
// payload). Byzantine faults: see byzantine-choices.ts. Crash and omission
// faults: the messages of correct senders (and, under crash faults, of
// faulty senders that do not crash this round) reach everyone; those of the
// "partial" senders (crashing this round, or every faulty sender under
// omission) reach each receiver or not, independently per (sender, type,
// receiver). For a key k = (type, payload) sent by m_k partial senders, a
// receiver can therefore get any d_k in 0..m_k copies, independently per key:
// a sender sends one payload per type, so different keys of one type have
// disjoint senders, and different types are chosen independently. Every
// vector (d_k) is realised by letting the first d_k senders of k (by id)
// deliver, and nothing else is observable, so enumerating the vectors instead
// of the subsets of senders loses no run. The full vector (d_k = m_k) is the
// one that withholds nothing.
//
// Hybrid faults (section 1.9): the Byzantine inflow and the omission one are
// chosen independently per receiver (Byzantine senders and omission-faulty
// senders are disjoint), and the counts add up, so a receiver's options are
// the product of the two lists.

import type { Protocol } from '../ir/types';
import type { Broadcast, ByzantineMessage, Val, Withheld } from '../trace/model';
import { materializeChoice, receiverChoices } from './byzantine-choices';
import type { Instance } from './instance';
import type { RoundPosition } from './step';

/** One option for one receiver: extra messages on top of the common inflow, and whether it withholds nothing. */
export interface Reception {
  add: [string, Val, number][];
  full: boolean;
}

/** The round's inflow: messages every receiver gets, and the options per receiver. */
export interface RoundInflow {
  common: readonly Broadcast[];
  options: readonly Reception[];
  /** a cache key for the options (equal keys: equal option lists). */
  key: string;
  /** the concrete Byzantine messages or withheld messages of option `c` for receiver `to`. */
  materialize(c: number, to: number): { byzantine: ByzantineMessage[]; withheld: Withheld[] };
}

export function byzantineInflow(protocol: Protocol, instance: Instance, pos: RoundPosition, sent: readonly Broadcast[]): RoundInflow {
  const choices = receiverChoices(protocol, pos.index, instance.byzantine.length, instance.isByzantine[pos.leader] === true);
  return {
    common: sent,
    options: choices.map((choice) => ({ add: choice.flatMap((part) => part.counts.map(([payload, count]): [string, Val, number] => [part.message, payload, count])), full: true })),
    key: 'byz',
    materialize: (c, to) => ({ byzantine: materializeChoice(choices[c]!, instance.byzantine, pos.leader, to), withheld: [] }),
  };
}

/** Crash and omission: `partial` are the senders whose messages may be kept from a receiver. */
export function partialInflow(sent: readonly Broadcast[], partial: ReadonlySet<number>): RoundInflow {
  const common = sent.filter((b) => !partial.has(b.from));
  const byKey = new Map<string, { message: string; payload: Val; senders: number[] }>();
  for (const b of sent) {
    if (!partial.has(b.from)) continue;
    const k = JSON.stringify([b.message, b.payload]);
    const entry = byKey.get(k);
    if (entry === undefined) byKey.set(k, { message: b.message, payload: b.payload, senders: [b.from] });
    else entry.senders.push(b.from);
  }
  const keys = [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => ({ ...e, senders: [...e.senders].sort((x, y) => x - y) }));
  // every vector d with 0 <= d_k <= m_k, in mixed radix (the last one is the full vector)
  let vectors: number[][] = [[]];
  for (const k of keys) vectors = vectors.flatMap((prefix) => Array.from({ length: k.senders.length + 1 }, (_, d) => [...prefix, d]));
  const options = vectors.map((d) => ({
    add: keys.flatMap((k, j): [string, Val, number][] => (d[j]! > 0 ? [[k.message, k.payload, d[j]!]] : [])),
    full: keys.every((k, j) => d[j] === k.senders.length),
  }));
  return {
    common,
    options,
    key: keys.map((k) => `${k.message}:${JSON.stringify(k.payload)}x${k.senders.length}`).join(','),
    materialize: (c, to) => {
      const d = vectors[c]!;
      const withheld: Withheld[] = [];
      keys.forEach((k, j) => k.senders.slice(d[j]).forEach((from) => withheld.push({ from, to, message: k.message })));
      return { byzantine: [], withheld };
    },
  };
}

/**
 * Hybrid: the product of the Byzantine options (the Byzantine senders of the
 * instance) and the partial-delivery options of the omission-faulty senders
 * `partial`. An option withholds nothing when its omission part is full.
 */
export function hybridInflow(protocol: Protocol, instance: Instance, pos: RoundPosition, sent: readonly Broadcast[], partial: ReadonlySet<number>): RoundInflow {
  const byz = byzantineInflow(protocol, instance, pos, sent);
  const omit = partialInflow(sent, partial);
  const width = omit.options.length;
  const options: Reception[] = [];
  for (const b of byz.options) for (const o of omit.options) options.push({ add: [...b.add, ...o.add], full: o.full });
  return {
    common: omit.common,
    options,
    key: `byz+${omit.key}`,
    materialize: (c, to) => ({ byzantine: byz.materialize(Math.floor(c / width), to).byzantine, withheld: omit.materialize(c % width, to).withheld }),
  };
}
