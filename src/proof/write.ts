// Writes proof artefacts for the verified results of a check.
//
// The directory is the user's: the tool writes into a new or empty one, or
// into one that holds only an earlier proof of this tool (recognised by its
// manifest, whose files it replaces), and refuses anything else. It never
// deletes a file its manifest does not list.
import { lstatSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'fs';
import { dirname, join, resolve } from 'path';
import { z } from 'zod';
import { dirProblem, errnoText, makeDirs, statOrNull } from '../util/out-path';
import { sha256 } from '../util/sha256';
import { MANIFEST, PROOF_FORMAT, PROOF_VERSION, ProofManifest, ProofQuery, querySchema } from './manifest';

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

export { sha256 };

export interface ProvenQuery extends Omit<ProofQuery, 'sha256'> {
  /** the script exactly as the solver received it */
  script: string;
}

/** A proof directory the tool must not write into (see proofDirProblem). */
export class ProofDirError extends Error {}

/**
 * What makes a directory an earlier proof of this tool: a manifest with our
 * format, a version, and the list of its files. Only these fields: a proof
 * of an older version is still ours to replace. The file names are plain
 * names ending in .smt2 (querySchema), so a manifest cannot make the tool
 * delete anything outside the directory.
 */
const earlierManifestSchema = z.object({
  format: z.literal(PROOF_FORMAT),
  version: z.number().int(),
  queries: z.array(z.object({ file: querySchema.shape.file })),
});

const listed = (names: readonly string[], max = 5): string => names.slice(0, max).join(', ') + (names.length > max ? `, and ${names.length - max} more` : '');

function isPlainFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}

/** The files of the earlier proof in directory `dir` (manifest excluded), or why it is not one. */
function earlierProof(dir: string): Set<string> | string {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (e) {
    return `cannot read ${dir}: ${errnoText(e)}`;
  }
  if (entries.length === 0) return new Set();
  const refuse = (why: string): string => `${dir} ${why}: refusing to write proof artefacts there (they would replace what is in it); name a new or empty directory`;
  if (!entries.includes(MANIFEST)) return refuse(`is not empty and holds no ${MANIFEST} of an earlier proof (${listed(entries)})`);
  let manifest: z.infer<typeof earlierManifestSchema>;
  try {
    const parsed = earlierManifestSchema.safeParse(JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')));
    if (!parsed.success) return refuse(`has a ${MANIFEST} that is not a bftsynth proof manifest`);
    manifest = parsed.data;
  } catch (e) {
    return refuse(`has a ${MANIFEST} that cannot be read as JSON (${e instanceof SyntaxError ? 'malformed' : errnoText(e)})`);
  }
  const files = new Set(manifest.queries.map((q) => q.file));
  const foreign = entries.filter((f) => f !== MANIFEST && !files.has(f));
  if (foreign.length > 0) return refuse(`holds files that are not part of its earlier proof (${listed(foreign)})`);
  const notFiles = entries.filter((f) => !isPlainFile(join(dir, f)));
  if (notFiles.length > 0) return refuse(`holds entries of its proof's names that are not regular files (${listed(notFiles)})`);
  return files;
}

/**
 * Why proof artefacts cannot be written to `dir`, or null. Commands call it
 * before any solving (a refusal after the work loses the work); writeProofs
 * asks again when it writes. Null when `dir` does not exist and can be
 * created, is an empty writable directory, or holds only an earlier proof
 * of this tool.
 */
export function proofDirProblem(dir: string): string | null {
  const s = statOrNull(dir);
  if (s === null) return dirProblem(dir);
  if (!s.isDirectory()) return `${dir} exists and is not a directory: proof artefacts go into a directory of their own`;
  const earlier = earlierProof(dir);
  if (typeof earlier === 'string') return earlier;
  return dirProblem(dir);
}

/** Writes the query files and the manifest into directory `into`. */
function writeInto(into: string, protocol: ProofManifest['protocol'], tool: string, queries: ProvenQuery[]): ProofManifest {
  const entries: ProofQuery[] = queries.map(({ script, ...q }) => {
    const text = smtFile(script, [`bftsynth proof: ${q.claim}`, `protocol ${protocol.name} (${protocol.hash})`, `expected: unsat`]);
    writeFileSync(join(into, q.file), text);
    return { ...q, sha256: sha256(text) };
  });
  const manifest: ProofManifest = { format: PROOF_FORMAT, version: PROOF_VERSION, protocol, tool, queries: entries };
  writeFileSync(join(into, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/**
 * Replaces the earlier proof in `dir` (files `old`) with the one written in
 * `tmp`. Order: the old files the new proof lacks, then the manifest, then
 * the new files; a crash at any point leaves only files some manifest there
 * lists (a re-check reports the missing ones; a new run may replace them).
 */
function replaceEarlier(dir: string, old: ReadonlySet<string>, tmp: string, manifest: ProofManifest): void {
  const fresh = new Set(manifest.queries.map((q) => q.file));
  for (const f of old) if (!fresh.has(f)) rmSync(join(dir, f), { force: true });
  renameSync(join(tmp, MANIFEST), join(dir, MANIFEST));
  for (const f of fresh) renameSync(join(tmp, f), join(dir, f));
}

/**
 * Writes the artefacts of `queries` to `dir` (see proofDirProblem for where
 * that is allowed; elsewhere a ProofDirError). A new directory is written
 * beside it and renamed into place whole, so a crash never leaves half a
 * proof; an existing one gets its files replaced (replaceEarlier). The
 * temporary directory is removed whatever happens.
 */
export function writeProofs(dir: string, protocol: ProofManifest['protocol'], tool: string, queries: ProvenQuery[]): ProofManifest {
  const problem = proofDirProblem(dir);
  if (problem !== null) throw new ProofDirError(problem);
  const earlier = statOrNull(dir) === null ? null : earlierProof(dir);
  if (typeof earlier === 'string') throw new ProofDirError(earlier);
  if (earlier === null) makeDirs(dirname(resolve(dir)));
  // beside a new directory (renamed into place); inside an existing one (the same file system, even when it is a mount point)
  const tmp = earlier === null ? mkdtempSync(`${resolve(dir)}.tmp-`) : mkdtempSync(join(dir, '.tmp-'));
  try {
    const manifest = writeInto(tmp, protocol, tool, queries);
    if (earlier === null) renameSync(tmp, dir);
    else replaceEarlier(dir, earlier, tmp, manifest);
    return manifest;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export function proofFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.smt2')).sort();
}
