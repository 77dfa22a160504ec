// Comments belong to the declaration, send or rule they stand before (or
// after, on the same line), so that `fmt` moves them with it and never drops
// one. Kept beside the IR, like source locations: the IR and its hash ignore them.
import type { Comment } from './lexer';

export type CommentKey = object | 'protocol' | 'values' | 'resilience' | 'faults' | 'claims' | 'horizon' | 'end';

export interface Attached {
  leading: string[];
  trailing: string[];
}

export type CommentMap = Map<CommentKey, Attached>;

/** A place comments can attach to: its first token's position and the line of its last. */
export interface Anchor {
  key: CommentKey;
  line: number;
  col: number;
  endLine: number;
}

function slot(map: CommentMap, key: CommentKey): Attached {
  let a = map.get(key);
  if (a === undefined) {
    a = { leading: [], trailing: [] };
    map.set(key, a);
  }
  return a;
}

export function attachComments(comments: readonly Comment[], anchors: readonly Anchor[]): CommentMap {
  const map: CommentMap = new Map();
  const ordered = [...anchors].sort((a, b) => a.line - b.line || a.col - b.col);
  for (const c of comments) {
    const oneLine = c.loc.line === c.endLine;
    // Trailing: on the last line of an element that started before it; the innermost (latest) one wins.
    const owner = oneLine ? [...ordered].reverse().find((a) => a.endLine === c.loc.line && (a.line < c.loc.line || a.col < c.loc.col)) : undefined;
    if (owner !== undefined) {
      slot(map, owner.key).trailing.push(c.text);
      continue;
    }
    const next = ordered.find((a) => a.line > c.endLine || (a.line === c.endLine && a.col > c.loc.col));
    slot(map, next === undefined ? 'end' : next.key).leading.push(c.text);
  }
  return map;
}
