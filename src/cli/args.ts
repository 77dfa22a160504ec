// Validation of command-line option values, with messages that name the
// option. yargs turns `--timeout abc` into NaN and a repeated option into an
// array, so every numeric option goes through one of these before use.
import { UserError } from './io';

/**
 * Longest timeout accepted, in seconds (a day). Node's timers hold at most
 * 2^31 - 1 ms (24.8 days; a longer one fires at once) and Z3's `timeout` is a
 * 32-bit count of ms, so a larger value would silently mean "no time at all".
 */
export const MAX_SECONDS = 86_400;

/** How a value yargs produced reads in a message. */
function shown(value: unknown): string {
  if (typeof value === 'number' && Number.isNaN(value)) return 'something that is not a number';
  if (typeof value === 'string') return value === '' ? 'an empty value' : `\`${value}\``;
  return String(value);
}

/** The option's single numeric value (a repeated option is an error, not "the last one wins"). */
function single(option: string, value: unknown): unknown {
  if (Array.isArray(value)) throw new UserError(`--${option} is given ${value.length} times; give it once`);
  return typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : value;
}

/** A timeout in seconds: a finite number > 0 and at most MAX_SECONDS. */
export function positiveSeconds(option: string, value: unknown): number {
  const v = single(option, value);
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > MAX_SECONDS) {
    throw new UserError(`--${option} must be a number of seconds greater than 0 and at most ${MAX_SECONDS}, got ${shown(value)}`);
  }
  return v;
}

export interface IntRange {
  min: number;
  max: number;
}

/** An integer option within [min, max] (both inclusive, both safe integers). */
export function integerOption(option: string, value: unknown, { min, max }: IntRange): number {
  const v = single(option, value);
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
    throw new UserError(`--${option} must be an integer from ${min} to ${max}, got ${shown(value)}`);
  }
  return v;
}

/** An integer written in an option's text, refused beyond 2^53 where a double is no longer exact. */
function safeInteger(text: string): number | null {
  if (!/^-?[0-9]+$/.test(text)) return null;
  const v = Number(text);
  return Number.isSafeInteger(v) ? v : null;
}

export function parseIntList(option: string, text: string): number[] {
  if (text.trim() === '') return [];
  return text.split(',').map((part) => {
    const s = part.trim();
    const v = safeInteger(s);
    if (v === null) {
      const why = /^-?[0-9]+$/.test(s) ? `is too large (at most ${Number.MAX_SAFE_INTEGER})` : 'is not an integer';
      throw new UserError(`--${option}: \`${s}\` ${why} (expected a comma-separated list such as 0,1,1)`);
    }
    return v;
  });
}

export interface NT {
  n: number;
  t: number;
  /** the omission bound of a hybrid protocol (written n:t:o) */
  o?: number;
}

/** `4:1,7:2` -> [{n:4,t:1},{n:7,t:2}]; a hybrid protocol's instances are n:t:o (`6:1:1`). */
export function parseInstances(option: string, text: string): NT[] {
  return text.split(',').map((part) => {
    const m = /^\s*([0-9]+)\s*:\s*([0-9]+)\s*(?::\s*([0-9]+)\s*)?$/.exec(part);
    if (!m) throw new UserError(`--${option}: \`${part}\` is not an instance n:t or n:t:o (expected e.g. 4:1,7:2, or 6:1:1 for a hybrid protocol)`);
    const n = safeInteger(m[1]!);
    const t = safeInteger(m[2]!);
    const o = m[3] === undefined ? undefined : safeInteger(m[3]);
    if (n === null || t === null || o === null) throw new UserError(`--${option}: \`${part.trim()}\`: ${m[3] === undefined ? 'n and t' : 'n, t and o'} must be at most ${Number.MAX_SAFE_INTEGER}`);
    return o === undefined ? { n, t } : { n, t, o };
  });
}
