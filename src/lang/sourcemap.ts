// Source locations of IR nodes, kept beside the IR so that the IR stays plain data.
import { Loc } from '../util/result';

export type SourceMap = WeakMap<object, Loc>;

export function locOf(map: SourceMap, node: object, fallback: Loc): Loc {
  return map.get(node) ?? fallback;
}
