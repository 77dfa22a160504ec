// TensorFlow.js, loaded once: the native binding when it is installed (an
// optional dependency whose installer needs the internet), else the core
// library on the WebAssembly backend (measured: ~3x faster per step than cpu
// for our small policies), else cpu. Only core operations are used (no
// layers, converter, data or WebGL), so the project depends on tfjs-core and
// the two backends rather than the umbrella @tensorflow/tfjs, which is about
// 200 MB more of node_modules (issue 13, item 10); tfjs-node brings the
// umbrella with it when it installs, and shares the same tfjs-core. The
// "install tfjs-node" banner that the cpu backend prints in Node is
// silenced: falling back is expected, not a problem.
import type * as TF from '@tensorflow/tfjs-core';

export type Tf = typeof TF;
export type TfBackend = 'tensorflow' | 'wasm' | 'cpu';

let loading: Promise<{ tf: Tf; backend: TfBackend }> | null = null;

function tryRequire<T>(name: string): T | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(name) as T;
  } catch {
    return null;
  }
}

async function load(preferred: TfBackend | undefined): Promise<{ tf: Tf; backend: TfBackend }> {
  if (preferred === undefined || preferred === 'tensorflow') {
    const native = tryRequire<Tf>('@tensorflow/tfjs-node');
    if (native !== null) return { tf: native, backend: 'tensorflow' };
  }
  // required lazily: loading TensorFlow.js costs ~1 s, and commands that never train must not pay it
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tf = require('@tensorflow/tfjs-core') as Tf;
  tf.env().set('PROD', true); // silences the banner and debug checks
  registerGradients(tf);
  // Importing a backend package registers its backend with tfjs-core.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('@tensorflow/tfjs-backend-cpu');
  if (preferred !== 'cpu' && tryRequire('@tensorflow/tfjs-backend-wasm') !== null) {
    try {
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        return { tf, backend: 'wasm' };
      }
    } catch {
      // fall through to cpu: the wasm binary could not be instantiated here
    }
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return { tf, backend: 'cpu' };
}

/**
 * The gradients of the kernels our networks differentiate through
 * (variableGrads in mlp.ts and the losses of policy.ts, critic.ts and
 * adversary-train.ts). tfjs-core's Node build registers no gradients: the
 * umbrella @tensorflow/tfjs did, from tfjs-core's own sources
 * (src/gradients/*_grad.ts), which ship only as ES modules that Node cannot
 * load. These are those definitions, operation for operation, so that the
 * numbers (and so the campaigns) are the ones the umbrella gave. A kernel
 * that already has a gradient (tfjs-node registers them all) is left alone.
 */
function registerGradients(tf: Tf): void {
  const { broadcast_util: bu, util } = tf;
  const f32 = (x: TF.Tensor): TF.Tensor => tf.cast(x, 'float32');
  /** dy summed over the axes broadcasting added to `shape`, reshaped to it. */
  const unbroadcast = (res: TF.Tensor, shape: number[], outShape: number[]): TF.Tensor => {
    const axes = bu.getReductionAxes(shape, outShape);
    return axes.length > 0 ? tf.reshape(tf.sum(res, axes), shape) : res;
  };
  const configs: TF.GradConfig[] = [
    {
      kernelName: tf.Add,
      inputsToSave: ['a', 'b'],
      gradFunc: (dy, [a, b]) => {
        const out = bu.assertAndGetBroadcastShape(a!.shape, b!.shape);
        const der = (x: TF.Tensor) => (): TF.Tensor => {
          const axes = bu.getReductionAxes(x.shape, out);
          return tf.reshape(axes.length > 0 ? tf.sum(dy as TF.Tensor, axes) : (dy as TF.Tensor), x.shape);
        };
        return { a: der(a!), b: der(b!) };
      },
    },
    {
      kernelName: tf.Sub,
      inputsToSave: ['a', 'b'],
      gradFunc: (dy, [a, b]) => {
        const out = bu.assertAndGetBroadcastShape(a!.shape, b!.shape);
        const reduced = (x: TF.Tensor): TF.Tensor => {
          const axes = bu.getReductionAxes(x.shape, out);
          return axes.length > 0 ? tf.sum(dy as TF.Tensor, axes) : (dy as TF.Tensor);
        };
        return { a: () => tf.reshape(reduced(a!), a!.shape), b: () => tf.reshape(tf.neg(reduced(b!)), b!.shape) };
      },
    },
    {
      kernelName: tf.Multiply,
      inputsToSave: ['a', 'b'],
      gradFunc: (dy, [a, b]) => {
        const out = bu.assertAndGetBroadcastShape(a!.shape, b!.shape);
        return {
          a: () => unbroadcast(tf.mul(dy as TF.Tensor, f32(b!)), a!.shape, out),
          b: () => unbroadcast(tf.mul(dy as TF.Tensor, f32(a!)), b!.shape, out),
        };
      },
    },
    {
      kernelName: tf.RealDiv,
      inputsToSave: ['a', 'b'],
      gradFunc: (dy, [a, b]) => {
        const out = bu.assertAndGetBroadcastShape(a!.shape, b!.shape);
        return {
          a: () => unbroadcast(tf.div(dy as TF.Tensor, f32(b!)), a!.shape, out),
          b: () => tf.neg(tf.div(unbroadcast(tf.mul(dy as TF.Tensor, f32(a!)), b!.shape, out), f32(tf.square(b!)))),
        };
      },
    },
    {
      kernelName: tf.Maximum,
      inputsToSave: ['a', 'b'],
      gradFunc: (dy, [a, b]) => ({
        a: () => tf.mul(dy as TF.Tensor, f32(tf.greaterEqual(a!, b!))),
        b: () => tf.mul(dy as TF.Tensor, f32(tf.less(a!, b!))),
      }),
    },
    { kernelName: tf.Neg, gradFunc: (dy) => ({ x: () => tf.neg(dy as TF.Tensor) }) },
    { kernelName: tf.Cast, gradFunc: (dy) => ({ x: () => (dy as TF.Tensor).clone() }) },
    { kernelName: tf.Reshape, inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.reshape(dy as TF.Tensor, x!.shape) }) },
    { kernelName: tf.Square, inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy as TF.Tensor, tf.mul(f32(x!), 2)) }) },
    { kernelName: tf.Sqrt, inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.div(dy as TF.Tensor, tf.mul(tf.sqrt(f32(x!)), 2)) }) },
    { kernelName: tf.Exp, outputsToSave: [true], gradFunc: (dy, [y]) => ({ x: () => tf.mul(dy as TF.Tensor, y!) }) },
    { kernelName: tf.Tanh, outputsToSave: [true], gradFunc: (dy, [y]) => ({ x: () => tf.mul(tf.sub(tf.scalar(1), tf.square(y!)), dy as TF.Tensor) }) },
    {
      kernelName: tf.Sum,
      inputsToSave: ['x'],
      gradFunc: (dy, [x], attrs) => {
        const shape = x!.shape.slice();
        for (const axis of util.parseAxisParam(attrs.axis as number | number[], x!.shape)) shape[axis] = 1;
        const derX = tf.mul(tf.reshape(dy as TF.Tensor, shape), tf.ones(x!.shape, 'float32'));
        return { x: () => derX };
      },
    },
    {
      kernelName: tf.Mean,
      inputsToSave: ['x'],
      gradFunc: (dy, [x], attrs) => {
        const axes = util.parseAxisParam(attrs.axis as number | number[], x!.shape);
        const reduceSize = util.sizeFromShape(tf.backend_util.computeOutAndReduceShapes(x!.shape, axes)[1]);
        return {
          x: () => {
            const shape = x!.shape.slice();
            for (const axis of axes) shape[axis] = 1;
            return tf.div(tf.mul(tf.reshape(dy as TF.Tensor, shape), tf.ones(x!.shape, 'float32')), reduceSize);
          },
        };
      },
    },
    {
      kernelName: tf.BatchMatMul,
      inputsToSave: ['a', 'b'],
      gradFunc: (dy, [a, b], attrs) => {
        const g = dy as TF.Tensor;
        const transposeA = attrs.transposeA === true;
        const transposeB = attrs.transposeB === true;
        if (!transposeA && !transposeB) return { a: () => tf.matMul(g, b!, false, true), b: () => tf.matMul(a!, g, true, false) };
        if (!transposeA && transposeB) return { a: () => tf.matMul(g, b!, false, false), b: () => tf.matMul(g, a!, true, false) };
        if (transposeA && !transposeB) return { a: () => tf.matMul(b!, g, false, true), b: () => tf.matMul(a!, g, false, false) };
        return { a: () => tf.matMul(b!, g, true, true), b: () => tf.matMul(g, a!, true, true) };
      },
    },
    {
      kernelName: tf.LogSoftmax,
      inputsToSave: [],
      outputsToSave: [true],
      gradFunc: (dy, [value], attrs) => ({
        logits: () => tf.sub(dy as TF.Tensor, tf.mul(tf.sum(dy as TF.Tensor, attrs.axis as number | number[], true), tf.exp(value!))),
      }),
    },
    {
      kernelName: tf.Softmax,
      outputsToSave: [true],
      gradFunc: (dy, [y], attrs) => {
        const dyTimesY = tf.mul(dy as TF.Tensor, y!);
        return { logits: () => tf.sub(dyTimesY, tf.mul(tf.sum(dyTimesY, [attrs.dim as number], true), y!)) };
      },
    },
  ];
  for (const config of configs) if (tf.getGradient(config.kernelName) === undefined) tf.registerGradient(config);
}

/** The TensorFlow.js module and the backend in use; one load per process. */
export function loadTf(preferred?: TfBackend): Promise<{ tf: Tf; backend: TfBackend }> {
  loading ??= load(preferred ?? (process.env.BFTSYNTH_TF_BACKEND as TfBackend | undefined));
  return loading;
}
