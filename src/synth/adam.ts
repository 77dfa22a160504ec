// One Adam step over named variables: shared by the proposer and the
// adversary network (both keep their moments in variables, so a checkpoint
// holds them and a resumed run continues bit for bit). Call inside tf.tidy.
import type * as TF from '@tensorflow/tfjs';
import type { Tf } from './tf';

const B1 = 0.9;
const B2 = 0.999;
const EPS = 1e-8;

export function adamStep<N extends string>(
  tf: Tf,
  names: readonly N[],
  vars: Record<N, TF.Variable>,
  m: Record<N, TF.Variable>,
  v: Record<N, TF.Variable>,
  grads: TF.NamedTensorMap,
  step: number,
  lr: number,
): void {
  for (const n of names) {
    const g = grads[vars[n].name]!;
    const mNew = tf.add(tf.mul(m[n], B1), tf.mul(g, 1 - B1));
    const vNew = tf.add(tf.mul(v[n], B2), tf.mul(tf.square(g), 1 - B2));
    m[n].assign(mNew);
    v[n].assign(vNew);
    const mHat = tf.div(mNew, 1 - Math.pow(B1, step));
    const vHat = tf.div(vNew, 1 - Math.pow(B2, step));
    vars[n].assign(tf.sub(vars[n], tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), EPS)), lr)));
  }
}
