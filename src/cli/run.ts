// Turns command handlers into exit codes: user errors print their message
// and exit 2 (never a stack trace); anything else is a bug and says so.
import { EXIT, ExitCode } from './exit-codes';
import { UserError, err } from './io';

export const Handler = {
  wrap<A>(body: (args: A) => Promise<ExitCode>): (args: A) => Promise<void> {
    return async (args: A) => {
      process.exitCode = await runGuarded(() => body(args));
    };
  },
};

export async function runGuarded(body: () => Promise<ExitCode>): Promise<ExitCode> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof UserError) {
      err(e.message);
      return e.code;
    }
    err(`internal error (a bug in bftsynth, please report it): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return EXIT.internal;
  }
}
