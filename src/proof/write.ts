// Writes proof artefacts for the verified results of a check.
import { createHash } from 'crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { MANIFEST, PROOF_FORMAT, PROOF_VERSION, ProofManifest, ProofQuery } from './manifest';

/** The query as a standalone SMT-LIB2 file any solver can run: logic, script, check-sat. */
export function smtFile(script: string, header: string[]): string {
  const comments = header.map((h) => `; ${h}`).join('\n');
  return `${comments}\n(set-logic QF_LIA)\n${script.trim()}\n(check-sat)\n(exit)\n`;
}

/** The bare script back from a proof file (what the wasm solver takes: no logic, no check-sat). */
export function scriptOf(file: string): string {
  return file
    .split('\n')
    .filter((l) => !/^\s*(;|\(set-logic |\(check-sat\)|\(exit\))/.test(l))
    .join('\n');
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export interface ProvenQuery extends Omit<ProofQuery, 'sha256'> {
  /** the script exactly as the solver received it */
  script: string;
}

/**
 * Replaces `dir` with the artefacts of `queries` (written to a temporary
 * directory first and renamed, so a crash never leaves half a proof).
 */
export function writeProofs(dir: string, protocol: ProofManifest['protocol'], tool: string, queries: ProvenQuery[]): ProofManifest {
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const entries: ProofQuery[] = queries.map(({ script, ...q }) => {
    const text = smtFile(script, [`bftsynth proof: ${q.claim}`, `protocol ${protocol.name} (${protocol.hash})`, `expected: unsat`]);
    writeFileSync(join(tmp, q.file), text);
    return { ...q, sha256: sha256(text) };
  });
  const manifest: ProofManifest = { format: PROOF_FORMAT, version: PROOF_VERSION, protocol, tool, queries: entries };
  writeFileSync(join(tmp, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return manifest;
}

export function proofFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.smt2')).sort();
}
