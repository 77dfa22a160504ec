// The fast tier (`make test`, `npm run test:fast`): the suites that finish in
// seconds, for the edit-test loop. CI runs the whole suite (`npm test`); a
// suite belongs here only if it stays fast, and nothing is tested only here.
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: [
    'sim', 'explore', 'smt', 'lang', 'trace', 'synth-sketch', 'fuzz-cli', 'synth-critic',
    'synth-memory', 'synth-adversary', 'cli', 'readme', 'fewer-faults', 'html',
  ].map((name) => `**/test/${name}.test.ts`),
};
