// The one network shape the synthesizer uses three times (the proposer's
// policy, its critic, the adversary): input -> tanh hidden layer -> linear
// output, with its Adam moments. Hand-rolled (tf.variable + our Adam) instead
// of tf.layers: weights and moments are plain JSON in the checkpoint, so a
// resumed campaign continues bit for bit, and initial weights come from our
// seeded PRNG, so a seed fixes the whole run.

import type * as TF from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { pathText, type Path } from '../util/json-locate';
import { Rng } from './rng';
import type { Tf } from './tf';

export const LAYERS = ['w1', 'b1', 'w2', 'b2'] as const;
export type Layer = (typeof LAYERS)[number];
export type Named = Record<string, number[]>;

/** What a checkpoint holds of a network. */
export interface MlpState {
  weights: Named;
  m: Named;
  v: Named;
}

export interface MlpDims {
  input: number;
  hidden: number;
  output: number;
}

/**
 * A network state from a checkpoint that does not fit: wrong types, or
 * weights of another shape (a checkpoint of another sketch, or edited). A
 * user error, not a bug: `path` says where, relative to the state handed to
 * the network (`within` prefixes the path of an enclosing state).
 */
export class NetStateError extends Error {
  constructor(
    readonly path: Path,
    readonly problem: string,
  ) {
    super(`${pathText(path)}: ${problem}`);
  }

  within(prefix: Path): NetStateError {
    return new NetStateError([...prefix, ...this.path], this.problem);
  }
}

const numbers = z.array(z.number());
const namedSchema = z.object({ w1: numbers, b1: numbers, w2: numbers, b2: numbers });
/** The types of an MlpState (JSON has no NaN or infinity: every number is finite). */
export const mlpStateSchema = z.object({ weights: namedSchema, m: namedSchema, v: namedSchema });
export const uint32Schema = z.number().int().min(0).max(0xffffffff);
export const countSchema = z.number().int().nonnegative();

/** Parses a saved network state with `schema`; a mismatch is a NetStateError at the first issue. */
export function parseNetState<T>(schema: z.ZodType<T>, saved: unknown): T {
  const parsed = schema.safeParse(saved);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  return fail(issue.path.filter((k): k is string | number => typeof k !== 'symbol'), issue.message);
}

function fail(path: Path, problem: string): never {
  throw new NetStateError(path, problem);
}

const B1 = 0.9;
const B2 = 0.999;
const EPS = 1e-8;

/**
 * Glorot-uniform hidden layer and zero biases; the output layer uniform in
 * +-outLimit (a near-zero one makes a policy start close to uniform), or
 * Glorot when outLimit is absent.
 */
export function initialWeights(seed: number, d: MlpDims, outLimit?: number): Named {
  const rng = new Rng(seed);
  const uniform = (count: number, limit: number): number[] => Array.from({ length: count }, () => (rng.next() * 2 - 1) * limit);
  return {
    w1: uniform(d.input * d.hidden, Math.sqrt(6 / (d.input + d.hidden))),
    b1: new Array<number>(d.hidden).fill(0),
    w2: uniform(d.hidden * d.output, outLimit ?? Math.sqrt(6 / (d.hidden + d.output))),
    b2: new Array<number>(d.output).fill(0),
  };
}

export class Mlp {
  readonly vars: Record<Layer, TF.Variable>;
  private readonly m: Record<Layer, TF.Variable>;
  private readonly v: Record<Layer, TF.Variable>;

  /** Weights (and moments) of another shape than `d` are a NetStateError (weights.w1, m.b2, ...). */
  constructor(
    private readonly tf: Tf,
    d: MlpDims,
    weights: Named,
    moments: { m: Named; v: Named } | undefined,
  ) {
    const shapes: Record<Layer, number[]> = { w1: [d.input, d.hidden], b1: [d.hidden], w2: [d.hidden, d.output], b2: [d.output] };
    // every shape checked before the first variable is made: nothing to dispose on a mismatch
    const sources: [string, Named | null][] = [['weights', weights], ['m', moments?.m ?? null], ['v', moments?.v ?? null]];
    for (const [key, src] of sources) {
      for (const n of LAYERS) {
        const count = shapes[n].reduce((p, x) => p * x, 1);
        const values = src?.[n];
        if (src !== null && values?.length !== count) fail([key, n], `${values?.length ?? 0} numbers, expected ${count} (${shapes[n].length === 1 ? 'a vector' : `a ${shapes[n].join(' x ')} matrix`})`);
      }
    }
    const make = (src: Named | null): Record<Layer, TF.Variable> => {
      const out = {} as Record<Layer, TF.Variable>;
      for (const n of LAYERS) {
        const values = src?.[n] ?? new Array<number>(shapes[n].reduce((p, x) => p * x, 1)).fill(0);
        out[n] = tf.tidy(() => tf.variable(tf.tensor(values, shapes[n]), true));
      }
      return out;
    };
    this.vars = make(weights);
    this.m = make(moments?.m ?? null);
    this.v = make(moments?.v ?? null);
  }

  /** tanh(x w1 + b1) w2 + b2; call inside tf.tidy. */
  forward(x: TF.Tensor2D): TF.Tensor2D {
    const tf = this.tf;
    const hidden = tf.tanh(tf.add(tf.matMul(x, this.vars.w1), this.vars.b1));
    return tf.add(tf.matMul(hidden, this.vars.w2), this.vars.b2) as TF.Tensor2D;
  }

  /** One gradient step of `loss` (Adam, step counted from 1); returns the loss. Call inside tf.tidy. */
  minimize(loss: () => TF.Scalar, step: number, lr: number): number {
    const tf = this.tf;
    const { value, grads } = tf.variableGrads(loss, LAYERS.map((n) => this.vars[n]));
    for (const n of LAYERS) {
      const g = grads[this.vars[n].name]!;
      const mNew = tf.add(tf.mul(this.m[n], B1), tf.mul(g, 1 - B1));
      const vNew = tf.add(tf.mul(this.v[n], B2), tf.mul(tf.square(g), 1 - B2));
      this.m[n].assign(mNew);
      this.v[n].assign(vNew);
      const mHat = tf.div(mNew, 1 - Math.pow(B1, step));
      const vHat = tf.div(vNew, 1 - Math.pow(B2, step));
      this.vars[n].assign(tf.sub(this.vars[n], tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), EPS)), lr)));
    }
    return value.dataSync()[0]!;
  }

  save(): MlpState {
    const read = (src: Record<Layer, TF.Variable>): Named => {
      const out: Named = {};
      for (const n of LAYERS) out[n] = Array.from(src[n].dataSync());
      return out;
    };
    return { weights: read(this.vars), m: read(this.m), v: read(this.v) };
  }

  dispose(): void {
    for (const n of LAYERS) {
      this.vars[n].dispose();
      this.m[n].dispose();
      this.v[n].dispose();
    }
  }
}
