// The language front end: text -> checked IR, and IR -> canonical text.
import { Protocol } from '../ir/types';
import { Result } from '../util/result';
import { checkDraft } from './check';
import { parseDraft } from './parser';

export { printProtocol, printExpr } from './printer';

/** Parses and checks a protocol file; every user mistake comes back as a located error. */
export function parseProtocol(source: string, file: string): Result<Protocol> {
  const draft = parseDraft(source, file);
  if (!draft.ok) return draft;
  return checkDraft(draft.value);
}
