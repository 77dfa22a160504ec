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
  const tf = require('@tensorflow/tfjs-core') as Tf;
  tf.env().set('PROD', true); // silences the banner and debug checks
  // Importing a backend package registers its backend with tfjs-core.
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

/** The TensorFlow.js module and the backend in use; one load per process. */
export function loadTf(preferred?: TfBackend): Promise<{ tf: Tf; backend: TfBackend }> {
  loading ??= load(preferred ?? (process.env.BFTSYNTH_TF_BACKEND as TfBackend | undefined));
  return loading;
}
