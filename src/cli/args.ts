// Parsing of list-valued command-line options, with messages that name the option.
import { UserError } from './io';

export function parseIntList(option: string, text: string): number[] {
  if (text.trim() === '') return [];
  return text.split(',').map((part) => {
    const s = part.trim();
    if (!/^-?[0-9]+$/.test(s)) throw new UserError(`--${option}: \`${s}\` is not an integer (expected a comma-separated list such as 0,1,1)`);
    return Number(s);
  });
}

export interface NT {
  n: number;
  t: number;
}

/** `4:1,7:2` -> [{n:4,t:1},{n:7,t:2}] */
export function parseInstances(option: string, text: string): NT[] {
  return text.split(',').map((part) => {
    const m = /^\s*([0-9]+)\s*:\s*([0-9]+)\s*$/.exec(part);
    if (!m) throw new UserError(`--${option}: \`${part}\` is not an instance n:t (expected e.g. 4:1,7:2)`);
    return { n: Number(m[1]), t: Number(m[2]) };
  });
}
