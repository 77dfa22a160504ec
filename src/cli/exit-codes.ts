// Exit codes, the CLI's contract with scripts (documented in the README).
export const EXIT = {
  ok: 0, // verified / success
  violated: 1, // a property is violated (or: a replay does not reproduce, fmt --check finds changes)
  badInput: 2, // malformed input, impossible parameters, bad usage
  unknown: 3, // timeout or solver unknown: never reported as verified
  internal: 4, // a bug in bftsynth
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
