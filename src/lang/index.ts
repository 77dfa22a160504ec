// The language front end: text -> checked IR, and IR -> canonical text.
import { Protocol } from '../ir/types';
import { Result } from '../util/result';
import { checkDraft } from './check';
import type { CommentMap } from './comments';
import { parseDraft } from './parser';

export { printProtocol, printExpr } from './printer';
export { printAssumption, printCountTerm, printFaults, printStateFormula, printTemporal, printUserProperty } from './print-formula';
export type { CommentMap } from './comments';

/** Parses and checks a protocol file; every user mistake comes back as a located error. */
export function parseProtocol(source: string, file: string): Result<Protocol> {
  const draft = parseDraft(source, file);
  if (!draft.ok) return draft;
  return checkDraft(draft.value);
}

/** Like parseProtocol, with the file's comments attached to its elements (for `fmt`). */
export function parseWithComments(source: string, file: string): Result<{ protocol: Protocol; comments: CommentMap }> {
  const draft = parseDraft(source, file);
  if (!draft.ok) return draft;
  const checked = checkDraft(draft.value);
  return checked.ok ? { ok: true, value: { protocol: checked.value, comments: draft.value.comments } } : checked;
}
