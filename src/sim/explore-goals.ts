// What exploration judges at each configuration: the claimed built-in
// properties over the correct processes and the user's properties, each
// read at one boundary (docs/semantics.md section 2). `eventually` needs a
// memory of the run, kept per configuration as bits: the premise held at
// boundary 0 and the goal has not held since.

import { evalParamInt } from '../ir/eval';
import { DECIDED, type LocalState, type Protocol } from '../ir/types';
import { faultKindOf, faultyOf, isFaulty, type Instance } from './instance';
import type { Claims } from './properties';
import { checkedBoundary, formulaHoldsOn, type RunContext } from './user-properties';

type Vector = readonly (LocalState | null)[];

export class Goals {
  private ctx: RunContext | null = null;
  private correct: number[] = [];
  /** the `eventually` properties, in file order: index in userProperties and bound R. */
  private readonly eventually: { index: number; within: number }[];

  constructor(
    private readonly protocol: Protocol,
    private readonly claims: Claims,
    n: number,
    t: number,
    o?: number,
  ) {
    this.eventually = protocol.userProperties.flatMap((u, index) => (u.formula.kind === 'eventually' ? [{ index, within: evalParamInt(u.formula.within, n, t, o) }] : []));
  }

  /** Every property judged, by name: the claimed built-ins, then the user's. */
  names(): string[] {
    const builtin = [...(this.claims.agreement ? ['agreement'] : []), ...(this.claims.validity ? ['validity'] : []), ...(this.claims.termination !== null ? ['termination'] : [])];
    return [...builtin, ...this.protocol.userProperties.map((u) => u.name)];
  }

  setInstance(instance: Instance): void {
    const kind = faultKindOf(instance);
    this.ctx = {
      n: instance.n,
      t: instance.t,
      ...(instance.o === undefined ? {} : { o: instance.o }),
      faults: kind,
      faulty: faultyOf(instance),
      ...(kind === 'hybrid' ? { byzantine: instance.byzantine } : {}),
      roundsPerPhase: this.protocol.rounds.length,
    };
    this.correct = [];
    for (let i = 0; i < instance.n; i++) if (!isFaulty(instance, i)) this.correct.push(i);
  }

  private context(): RunContext {
    if (this.ctx === null) throw new Error('Goals: no instance');
    return this.ctx;
  }

  /** The pending bits after boundary `round` (parent: the bits before it; -1 at boundary 0). */
  pendingAt(vector: Vector, round: number, parent: number): number {
    let bits = 0;
    this.eventually.forEach(({ index, within }, j) => {
      const prop = this.protocol.userProperties[index]!;
      if (prop.formula.kind !== 'eventually' || round > within) return;
      const goal = (): boolean => prop.formula.kind === 'eventually' && formulaHoldsOn(this.protocol, prop.scope, prop.formula.goal, this.context(), vector, round);
      const before = parent < 0 ? formulaHoldsOn(this.protocol, prop.scope, prop.formula.given, this.context(), vector, 0) : (parent & (1 << j)) !== 0;
      if (before && !goal()) bits |= 1 << j;
    });
    return bits;
  }

  /** The names of the properties a configuration at boundary `round` violates there. */
  violated(vector: Vector, round: number, unanimous: number | null, pending: number): string[] {
    const out: string[] = [];
    const decisions = this.correct.map((i) => {
      const d = vector[i]?.[DECIDED];
      return typeof d === 'number' ? d : null;
    });
    const decided = decisions.filter((d): d is number => d !== null);
    if (this.claims.agreement && decided.some((d) => d !== decided[0])) out.push('agreement');
    if (this.claims.validity && unanimous !== null && decided.some((d) => d !== unanimous)) out.push('validity');
    if (this.claims.termination === round && decisions.some((d) => d === null)) out.push('termination');
    this.protocol.userProperties.forEach((u) => {
      if (u.formula.kind !== 'always') return;
      if (checkedBoundary(u.formula.at, round, this.protocol.rounds.length) && !formulaHoldsOn(this.protocol, u.scope, u.formula.state, this.context(), vector, round)) out.push(u.name);
    });
    this.eventually.forEach(({ index, within }, j) => {
      if (round === within && (pending & (1 << j)) !== 0) out.push(this.protocol.userProperties[index]!.name);
    });
    return out;
  }

  /** Why a property cannot be judged within `rounds` rounds, or null. */
  tooShort(name: string, rounds: number): string | null {
    if (name === 'termination' && this.claims.termination !== null && this.claims.termination > rounds) {
      return `explored ${rounds} rounds, fewer than the termination bound ${this.claims.termination}`;
    }
    const e = this.eventually.find(({ index }) => this.protocol.userProperties[index]!.name === name);
    if (e !== undefined && e.within > rounds) return `explored ${rounds} rounds, fewer than the bound ${e.within} of '${name}'`;
    return null;
  }
}
