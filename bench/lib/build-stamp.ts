// The newest modification time under dist/src: a benchmark's workers load the
// compiled code when they start, so a rebuild during the run (another
// engineer's `tsc`) means later rows measured different code. Reported, not prevented.
import { readdirSync, statSync } from 'fs';
import { join } from 'path';

export function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtimeMs(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** A note when dist/src changed between `before` (newestMtimeMs at the start) and now, else null. */
export function rebuildNote(distSrc: string, before: number): string | null {
  const after = newestMtimeMs(distSrc);
  if (after <= before) return null;
  return `dist/src was rebuilt during the run (newest file written ${new Date(after).toISOString()}): workers started after that ran different code, so rows are not all from one build`;
}
