// The adversary network playing the simulator: one run in which it chooses
// the correct processes' inputs and every Byzantine message, either sampling
// from the network (self-play) or following a recorded trace's choices
// (imitation, likelihood), recording each decision in the network's features
// either way. It is an ordinary simulator Adversary, so every run it plays is
// an ordinary trace (replayable by `bftsynth replay`).

import type { Protocol, Val } from '../ir/types';
import type { Adversary, RoundView } from '../sim/adversary';
import { makeInstance, type Instance } from '../sim/instance';
import { simulate } from '../sim/simulate';
import { payloadDomain, roundMessages } from '../sim/step';
import type { ByzantineMessage, Trace } from '../trace/model';
import { ACTIONS, inputFeatures, inputMask, messageFeatures, messageMask, roundFeatures, type Decision } from './adversary-features';
import type { AdversaryPolicy } from './adversary-policy';

/** A sampled run: the instance it played, its trace and the decisions that made it. */
export interface Episode {
  instance: Instance;
  inputs: (number | null)[];
  trace: Trace;
  decisions: Decision[];
}

/** One sampled run at (n, t) with the given Byzantine set; null when the sampled inputs make no instance. */
export function playEpisode(policy: AdversaryPolicy, protocol: Protocol, hash: string, n: number, t: number, rounds: number, byzantine: readonly number[]): Episode | null {
  const decisions: Decision[] = [];
  const inputs = chooseInputs(policy, protocol, n, t, byzantine, rounds, decisions, null);
  const made = makeInstance(protocol, { n, t, byzantine, inputs });
  if (!made.ok) return null;
  const trace = simulate(protocol, made.value, new NetAdversary(policy, rounds, decisions, null), { hash });
  return { instance: made.value, inputs, trace, decisions };
}

/** A recorded run seen through the network's features: one decision per (round, sender, receiver, type) and input. */
export function recordedDecisions(policy: AdversaryPolicy, protocol: Protocol, trace: Trace): Decision[] {
  const made = makeInstance(protocol, { n: trace.n, t: trace.t, byzantine: trace.byzantine, inputs: trace.inputs });
  if (!made.ok || trace.rounds.length === 0) return [];
  const decisions: Decision[] = [];
  const rounds = trace.rounds.length;
  chooseInputs(policy, protocol, trace.n, trace.t, trace.byzantine, rounds, decisions, trace.inputs);
  try {
    simulate(protocol, made.value, new NetAdversary(policy, rounds, decisions, trace), { hash: trace.protocol.hash, rounds });
  } catch {
    return []; // a recorded message the simulator refuses: nothing to learn from
  }
  return decisions;
}

/** Inputs of the correct processes: sampled (recorded === null) or taken from a trace; decisions appended. */
function chooseInputs(policy: AdversaryPolicy, protocol: Protocol, n: number, t: number, byzantine: readonly number[], rounds: number, decisions: Decision[], recorded: readonly (number | null)[] | null): (number | null)[] {
  const phases = protocol.rounds.length === 0 ? 1 : Math.ceil(rounds / protocol.rounds.length);
  const correct = Array.from({ length: n }, (_, i) => i).filter((i) => !byzantine.includes(i));
  const mask = inputMask(protocol.values);
  const inputs: (number | null)[] = new Array<number | null>(n).fill(null);
  const values = Math.max(1, protocol.values - 1);
  let sum = 0;
  correct.forEach((i, k) => {
    const previous = k === 0 ? 0 : (inputs[correct[k - 1]!] ?? 0);
    const x = inputFeatures(n, t, i, phases, k, correct.length, previous, sum, values);
    const action = policy.decide(x, mask, recorded?.[i] ?? null, decisions);
    inputs[i] = action;
    sum += action;
  });
  return inputs;
}

/** The network as a simulator Adversary for one run: samples (script null) or follows a recorded trace's messages. */
class NetAdversary implements Adversary {
  readonly name = 'learned';
  constructor(
    private readonly policy: AdversaryPolicy,
    private readonly rounds: number,
    private readonly log: Decision[],
    private readonly script: Trace | null,
  ) {}

  byzantineMessages(view: RoundView): ByzantineMessage[] {
    const { protocol, instance, position: pos } = view;
    const all = roundMessages(protocol, pos.index);
    const out: ByzantineMessage[] = [];
    const recorded = this.script === null ? null : (this.script.rounds[pos.round - 1]?.byzantine ?? []);
    const { global, counts } = roundFeatures(view, all);
    for (const from of instance.byzantine) {
      for (const to of instance.correct) {
        all.forEach((decl, ti) => {
          if (decl.leader && from !== pos.leader) return;
          const domain = payloadDomain(protocol, decl.payload);
          const mask = messageMask(domain.length);
          const x = messageFeatures(view, this.rounds, from, to, decl, ti, all.length, counts[ti]!, global);
          let want: number | null = null;
          if (recorded !== null) {
            const m = recorded.find((r) => r.from === from && r.to === to && r.message === decl.name);
            want = m === undefined ? 0 : domain.findIndex((p) => p === m.payload) + 1;
            if (want === 0 && m !== undefined) want = ACTIONS; // unknown payload: not learned from
          }
          const action = this.policy.decide(x, mask, want, this.log);
          const payload: Val | undefined = action >= 1 ? domain[action - 1] : undefined;
          if (recorded !== null) {
            const m = recorded.find((r) => r.from === from && r.to === to && r.message === decl.name);
            if (m !== undefined) out.push({ ...m });
          } else if (payload !== undefined) out.push({ from, to, message: decl.name, payload });
        });
      }
    }
    if (recorded !== null) {
      // messages to Byzantine receivers are irrelevant but kept so the run is the recorded one
      for (const m of recorded) if (instance.isByzantine[m.to]) out.push({ ...m });
    }
    return out;
  }
}
