// Parsing a protocol in a test: the parsed IR, or a thrown error carrying the
// located messages with their source excerpts (a test's own text or a file
// under specs/ is expected to parse).
import { readFileSync } from 'fs';
import { join } from 'path';
import type { Protocol } from '../../src/ir/types';
import { parseProtocol } from '../../src/lang';
import { formatError } from '../../src/util/result';

export function parseSpec(source: string, file = 'test.bft'): Protocol {
  const r = parseProtocol(source, file);
  if (!r.ok) throw new Error(r.errors.map((e) => formatError(e, source)).join('\n'));
  return r.value;
}

/** A file of the repository, by its path from the root (e.g. specs/sta/kset-omit2.bft). */
export const loadSpec = (rel: string): Protocol => parseSpec(readFileSync(join(__dirname, '..', '..', rel), 'utf8'), rel);
