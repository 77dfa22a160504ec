// Analysis and substitution of terms (witness elimination, decoding).

import { type BTerm, type ITerm, add, and, eq, ite, le, not, num, or, scale, sub } from './build';

/** Coefficient of variable v in a linear term; null if v occurs under an ite. */
export function coefOf(t: ITerm, v: string): number | null {
  switch (t.k) {
    case 'num':
      return 0;
    case 'ivar':
      return t.name === v ? 1 : 0;
    case 'sum': {
      let c = 0;
      for (const a of t.args) {
        const x = coefOf(a, v);
        if (x === null) return null;
        c += x;
      }
      return c;
    }
    case 'scale': {
      const x = coefOf(t.a, v);
      return x === null ? null : t.c * x;
    }
    case 'ite':
      return mentionsI(t, v) ? null : 0;
  }
}

export function mentionsI(t: ITerm, v: string): boolean {
  switch (t.k) {
    case 'num':
      return false;
    case 'ivar':
      return t.name === v;
    case 'sum':
      return t.args.some((a) => mentionsI(a, v));
    case 'scale':
      return mentionsI(t.a, v);
    case 'ite':
      return mentionsB(t.c, v) || mentionsI(t.a, v) || mentionsI(t.b, v);
  }
}

export function mentionsB(t: BTerm, v: string): boolean {
  switch (t.k) {
    case 'bool':
    case 'bvar':
      return false;
    case 'le':
    case 'eq':
      return mentionsI(t.a, v) || mentionsI(t.b, v);
    case 'and':
    case 'or':
      return t.args.some((a) => mentionsB(a, v));
    case 'not':
      return mentionsB(t.a, v);
  }
}

/**
 * How a Boolean term depends on the integer variable v: `up` if increasing v
 * never turns it from true to false (monotone), `down` if decreasing v never
 * does (antitone). Syntactic and sound: an atom a <= b is antitone in v when
 * v's coefficient in a - b is positive, monotone when negative, both when
 * zero; and/or preserve both properties, not swaps them; anything else
 * mentioning v (an equality, v under an ite) has neither.
 */
export function polarity(t: BTerm, v: string): { up: boolean; down: boolean } {
  switch (t.k) {
    case 'bool':
    case 'bvar':
      return { up: true, down: true };
    case 'le': {
      const d = coefOf(sub(t.a, t.b), v);
      if (d === null) return { up: false, down: false };
      return { up: d <= 0, down: d >= 0 };
    }
    case 'eq': {
      const d = coefOf(sub(t.a, t.b), v);
      return d === 0 ? { up: true, down: true } : { up: false, down: false };
    }
    case 'and':
    case 'or': {
      let up = true;
      let down = true;
      for (const a of t.args) {
        const p = polarity(a, v);
        up &&= p.up;
        down &&= p.down;
      }
      return { up, down };
    }
    case 'not': {
      const p = polarity(t.a, v);
      return { up: p.down, down: p.up };
    }
  }
}

/** Replace integer variables by terms (folding constants again). */
export function substI(t: ITerm, m: ReadonlyMap<string, ITerm>): ITerm {
  switch (t.k) {
    case 'num':
      return t;
    case 'ivar':
      return m.get(t.name) ?? t;
    case 'sum':
      return add(num(t.c), ...t.args.map((a) => substI(a, m)));
    case 'scale':
      return scale(t.c, substI(t.a, m));
    case 'ite':
      return ite(substB(t.c, m), substI(t.a, m), substI(t.b, m));
  }
}

export function substB(t: BTerm, m: ReadonlyMap<string, ITerm>): BTerm {
  switch (t.k) {
    case 'bool':
    case 'bvar':
      return t;
    case 'le':
      return le(substI(t.a, m), substI(t.b, m));
    case 'eq':
      return eq(substI(t.a, m), substI(t.b, m));
    case 'and':
      return and(...t.args.map((a) => substB(a, m)));
    case 'or':
      return or(...t.args.map((a) => substB(a, m)));
    case 'not':
      return not(substB(t.a, m));
  }
}
