// Tiny builders for hand-written IR protocols in the simulator's tests (the
// parser in src/lang is written concurrently, so tests do not depend on it).

import { DEFAULT_FAULT_FIELDS } from '../../src/ir/faults';
import type { Action, CmpOp, Expr, MessageDecl, Protocol, Round, Rule, Send, VarDecl } from '../../src/ir/types';

export const int = (value: number): Expr => ({ kind: 'int', value });
export const bool = (value: boolean): Expr => ({ kind: 'bool', value });
export const none: Expr = { kind: 'none' };
export const N: Expr = { kind: 'param', name: 'n' };
export const T: Expr = { kind: 'param', name: 't' };
export const phase: Expr = { kind: 'phase' };
export const v = (name: string): Expr => ({ kind: 'var', name });
export const count = (message: string, payload: Expr | null = null): Expr => ({ kind: 'count', message, payload });
export const maj = (message: string, tie: 'min' | 'max' = 'min'): Expr => ({ kind: 'maj', message, tie });
export const add = (left: Expr, right: Expr): Expr => ({ kind: 'add', left, right });
export const sub = (left: Expr, right: Expr): Expr => ({ kind: 'sub', left, right });
export const mul = (coef: number, arg: Expr): Expr => ({ kind: 'mul', coef, arg });
export const cmp = (left: Expr, op: CmpOp, right: Expr): Expr => ({ kind: 'cmp', op, left, right });
export const and = (left: Expr, right: Expr): Expr => ({ kind: 'and', left, right });
export const or = (left: Expr, right: Expr): Expr => ({ kind: 'or', left, right });
export const not = (arg: Expr): Expr => ({ kind: 'not', arg });

export const assign = (name: string, value: Expr): Action => ({ kind: 'assign', name, value });
export const decide = (value: Expr): Action => ({ kind: 'decide', value });
export const rule = (guard: Expr, ...actions: Action[]): Rule => ({ guard, actions });
export const otherwise = (...actions: Action[]): Rule => ({ guard: bool(true), actions });
export const send = (message: string, payload: Expr | null, when: Expr | null = null): Send => ({ message, payload, when });

export const valueVar = (name: string, init: 'input' | Expr = 'input'): VarDecl => ({ name, type: { kind: 'value' }, init });
export const boolVar = (name: string, init = false): VarDecl => ({ name, type: { kind: 'bool' }, init: bool(init) });
export const message = (name: string, leader = false, payload: MessageDecl['payload'] = { kind: 'value' }): MessageDecl => ({ name, payload, leader });

export interface ProtocolParts {
  name: string;
  values?: number;
  resilience: Expr;
  vars: VarDecl[];
  messages: MessageDecl[];
  rounds: Round[];
  agreement?: boolean;
  validity?: boolean;
  termination?: Expr | null;
  horizon?: Expr;
}

export function protocol(p: ProtocolParts): Protocol {
  const termination = p.termination ?? null;
  const horizon = p.horizon ?? termination;
  if (horizon === null) throw new Error('a protocol needs a horizon or a termination bound');
  return {
    name: p.name,
    ...DEFAULT_FAULT_FIELDS,
    values: p.values ?? 2,
    resilience: p.resilience,
    vars: p.vars,
    messages: p.messages,
    rounds: p.rounds,
    properties: { agreement: p.agreement ?? true, validity: p.validity ?? true, termination },
    horizon,
  };
}
