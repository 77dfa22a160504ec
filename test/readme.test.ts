// The README's command examples are executable: every ```console block is a
// list of `$ bftsynth ...` commands, each followed by the lines it prints on
// stdout (a leading `...` line: only the tail is shown) and an optional
// `[exit N]` (default 0). They run against the built CLI, so the README
// cannot drift from the tool (the idea of Quint's executable CLI docs).
import { readFileSync } from 'fs';
import { join } from 'path';
import { cli, ROOT } from './helpers/cli';

interface Example {
  command: string[];
  expected: string[];
  tailOnly: boolean;
  exit: number;
}

function examplesOf(markdown: string): Example[] {
  const blocks = [...markdown.matchAll(/```console\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  const out: Example[] = [];
  for (const block of blocks) {
    let cur: Example | null = null;
    for (const line of block.split('\n')) {
      if (line.startsWith('$ bftsynth ')) {
        cur = { command: line.slice('$ bftsynth '.length).split(/\s+/), expected: [], tailOnly: false, exit: 0 };
        out.push(cur);
      } else if (cur !== null) {
        const exit = /^\[exit (\d+)\]$/.exec(line);
        if (exit !== null) cur.exit = Number(exit[1]);
        else if (line === '...' && cur.expected.length === 0) cur.tailOnly = true;
        else if (line !== '') cur.expected.push(line);
      }
    }
  }
  return out;
}

const examples = examplesOf(readFileSync(join(ROOT, 'README.md'), 'utf8'));

test('the README has command examples', () => {
  expect(examples.length).toBeGreaterThanOrEqual(3);
});

test.each(examples.map((e) => [e.command.join(' '), e] as const))('README: bftsynth %s', (_name, e) => {
  const run = cli(e.command);
  const lines = run.stdout.replace(/\n$/, '').split('\n');
  expect(e.tailOnly ? lines.slice(-e.expected.length) : lines).toEqual(e.expected);
  expect(run.code).toBe(e.exit);
});
