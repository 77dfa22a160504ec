// Canonical hash of a protocol: sha256 of its IR as JSON with sorted keys.
// The IR carries no locations or comments, so formatting never changes it.
import { sha256 } from '../util/sha256';
import { BYZANTINE_UP_TO_T } from './faults';
import { Protocol } from './types';

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Hex sha256 of the canonical IR; the first 12 characters are what people see. */
export function protocolHash(p: Protocol): string {
  return sha256(canonicalJson(withoutDefaults(p)));
}

/** Fields at their defaults are left out, so that protocols written before they existed keep their hash (and their proofs and checkpoints). */
function withoutDefaults(p: Protocol): Record<string, unknown> {
  const { faults, assumptions, userProperties, ...rest } = p;
  return {
    ...rest,
    faults: canonicalJson(faults) === canonicalJson(BYZANTINE_UP_TO_T) ? undefined : faults,
    assumptions: assumptions.length === 0 ? undefined : assumptions,
    userProperties: userProperties.length === 0 ? undefined : userProperties,
  };
}

export function shortHash(hash: string): string {
  return hash.slice(0, 12);
}
