// Evaluation of terms under a valuation (a model).

import { type BTerm, type ITerm } from './build';

/** Values of constants, for evaluating terms in a model (absent: 0 / false). */
export type Valuation = (name: string) => number | boolean | undefined;

export function evalI(t: ITerm, val: Valuation): number {
  switch (t.k) {
    case 'num':
      return t.v;
    case 'ivar': {
      const x = val(t.name);
      return typeof x === 'number' ? x : 0;
    }
    case 'sum':
      return t.args.reduce((acc, a) => acc + evalI(a, val), t.c);
    case 'scale':
      return t.c * evalI(t.a, val);
    case 'ite':
      return evalB(t.c, val) ? evalI(t.a, val) : evalI(t.b, val);
  }
}

export function evalB(t: BTerm, val: Valuation): boolean {
  switch (t.k) {
    case 'bool':
      return t.v;
    case 'bvar':
      return val(t.name) === true;
    case 'le':
      return evalI(t.a, val) <= evalI(t.b, val);
    case 'eq':
      return evalI(t.a, val) === evalI(t.b, val);
    case 'and':
      return t.args.every((a) => evalB(a, val));
    case 'or':
      return t.args.some((a) => evalB(a, val));
    case 'not':
      return !evalB(t.a, val);
  }
}
