// What the benchmark ran on, for the report's header.
import { readFileSync } from 'fs';
import { cpus, release, totalmem } from 'os';
import { join } from 'path';

export interface Machine {
  cpu: string;
  cores: number;
  memory_gb: number;
  os: string;
  kernel: string;
  node: string;
  /** npm z3-solver package version */
  z3_solver: string;
}

function osName(): string {
  try {
    const m = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'));
    return m?.[1] ?? process.platform;
  } catch {
    return process.platform;
  }
}

function packageVersion(root: string, name: string): string {
  try {
    const pkg: unknown = JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8'));
    const v = pkg !== null && typeof pkg === 'object' ? (pkg as { version?: unknown }).version : undefined;
    return typeof v === 'string' ? v : '?';
  } catch {
    return '?';
  }
}

export function machine(root: string): Machine {
  const cs = cpus();
  return {
    cpu: cs[0]?.model.trim() ?? '?',
    cores: cs.length,
    memory_gb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: osName(),
    kernel: release(),
    node: process.version,
    z3_solver: packageVersion(root, 'z3-solver'),
  };
}
