// The installed package's root (where package.json, specs/ live), found by
// walking up from this module: the same from src/ (tests) and dist/src/ (CLI).
import { existsSync } from 'fs';
import { dirname, join } from 'path';

export function packageRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('bftsynth: cannot find the package root');
    dir = parent;
  }
  return dir;
}
