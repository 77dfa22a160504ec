// Golden files: the expected output of a test, kept in the repository.
// UPDATE_GOLDEN=1 rewrites them (review the diff before committing). Without
// it a missing golden file fails the test: creating it silently would make a
// test pass that compared nothing (a renamed or deleted file, a typo in a
// name, a fresh checkout missing a file).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { dirname, relative } from 'path';

export const UPDATE_GOLDEN = process.env.UPDATE_GOLDEN === '1';

/** Compares `actual` with the golden file `file` (an absolute path), or rewrites it under UPDATE_GOLDEN=1. */
export function expectGolden(file: string, actual: string): void {
  if (UPDATE_GOLDEN) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
  } else if (!existsSync(file)) {
    throw new Error(`golden file ${relative(process.cwd(), file)} is missing: run the test with UPDATE_GOLDEN=1 to create it, and commit it after reviewing it`);
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}
