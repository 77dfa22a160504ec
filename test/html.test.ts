// The HTML export rendered in real headless Chromium (Debian's package),
// asserting on the DOM as a reader would see it.
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { protocolHash } from '../src/ir/hash';
import type { Protocol } from '../src/ir/types';
import { parseProtocol } from '../src/lang';
import { random, scripted, split } from '../src/sim/adversary';
import { makeInstance } from '../src/sim/instance';
import { simulate } from '../src/sim/simulate';
import { traceToHtml } from '../src/trace/html';
import { MAX_WITHHELD_ARROWS } from '../src/trace/html-byz';
import type { Trace } from '../src/trace/model';
import { traceToText } from '../src/trace/text';
import { formatError } from '../src/util/result';
import { expectGolden } from './helpers/golden';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = join(__dirname, '..');
const SCREENSHOT = '/tmp/bftsynth-trace-html.png';
const SCREENSHOT_RULES = '/tmp/bftsynth-trace-html-rules.png';
const QUORUM_VOTE = 'test/fixtures/quorum-vote.bft';

function parse(text: string, file: string): Protocol {
  const r = parseProtocol(text, file);
  if (!r.ok) throw new Error(r.errors.map((e) => formatError(e, text)).join('\n'));
  return r.value;
}

function run(p: Protocol, n: number, t: number, inputs: number[], adversary = split(), rounds?: number): Trace {
  const byzantine = Array.from({ length: t }, (_, k) => n - t + k);
  const inst = makeInstance(p, { n, t, byzantine, inputs });
  if (!inst.ok) throw new Error(inst.errors.map((e) => e.message).join('; '));
  return simulate(p, inst.value, adversary, { hash: protocolHash(p), rounds });
}

const fixture = (name: string): Protocol => parse(readFileSync(join(ROOT, 'test', 'fixtures', name), 'utf8'), name);

/** The trace of the golden files (test/trace.test.ts): quorum vote at n=5, t=1, inputs 0,0,1,1,0, split adversary. */
const goldenTrace = (): Trace => run(fixture('quorum-vote.bft'), 5, 1, [0, 0, 1, 1, 0]);

/**
 * Quorum vote at n=5, t=1 where the Byzantine p4 sends VOTE(0) to p0 and p1
 * only in round 1 (withholding it from p2 and p3), and nothing in round 2.
 */
function withholdingTrace(): Trace {
  const to = (receivers: number[]) => receivers.map((r) => ({ from: 4, to: r, message: 'VOTE', payload: 0 }));
  return run(fixture('quorum-vote.bft'), 5, 1, [0, 0, 1, 1, 0], scripted('withholding', [to([0, 1]), []]), 2);
}

// Decides on the majority of one exchange: a splitting adversary breaks agreement.
const ONE_ROUND_MAJORITY = `protocol OneRoundMajority
resilience n > 3*t
var v : value = input
message VOTE(value)
round vote {
  send VOTE(v)
  otherwise: decide maj(VOTE)
}
claims agreement, validity, termination within 1
`;

// CI installs Chromium (scripts/install-system.sh), so there a missing
// browser is a broken setup and fails; elsewhere the tests are skipped with a
// note, so that a machine without Chromium can still run the suite.
const haveChromium = existsSync(CHROMIUM);
const inCI = process.env.CI === 'true';
if (!haveChromium && !inCI) {
  console.warn(`test/html.test.ts: SKIPPED: ${CHROMIUM} is not installed (scripts/install-system.sh installs Debian's chromium; with CI=true these tests fail instead)`);
}
if (!haveChromium && inCI) {
  test('Chromium is installed (CI=true)', () => {
    throw new Error(`${CHROMIUM} is not installed, and CI=true: CI must run scripts/install-system.sh, which installs Debian's chromium for these tests`);
  });
}
const describeIfChromium = haveChromium ? describe : describe.skip;

describeIfChromium('the HTML trace page in headless Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** Loads the page; every request it would make (there must be none) is recorded. */
  async function open(html: string, width = 1100): Promise<{ page: Page; requests: string[] }> {
    const page = await browser.newPage({ viewport: { width, height: 900 }, javaScriptEnabled: false });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.setContent(html, { waitUntil: 'load' });
    return { page, requests };
  }

  /** Pairs of SVG text elements whose boxes overlap: labels drawn over each other are unreadable. */
  async function overlappingTexts(page: Page): Promise<string[]> {
    const boxes = await page.$$eval('svg.msc text', (els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        return { text: e.textContent ?? '', x: r.x, y: r.y, w: r.width, h: r.height, cls: e.getAttribute('class') ?? '' };
      }),
    );
    const out: string[] = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        const ix = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
        const iy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
        if (ix > 1 && iy > 2) out.push(`${a.cls}:${a.text} / ${b.cls}:${b.text}`);
      }
    }
    return out;
  }

  test('quorum vote under the split adversary: lanes, Byzantine lane, equivocation, violation, timeline', async () => {
    const trace = run(fixture('quorum-vote.bft'), 5, 1, [0, 0, 1, 1, 0]);
    const { page, requests } = await open(traceToHtml(trace));
    expect(await page.$$eval('svg.msc .lane', (els) => els.map((e) => e.getAttribute('data-process')))).toEqual(['0', '1', '2', '3', '4']);
    expect(await page.$$eval('svg.msc .lane.byzantine', (els) => els.map((e) => e.getAttribute('data-process')))).toEqual(['4']);
    // the Byzantine lane is drawn in another colour than the correct ones
    const stroke = (sel: string) => page.$eval(sel, (e) => e.ownerDocument.defaultView?.getComputedStyle(e).stroke);
    expect(await stroke('.lane.byzantine .lane-line')).not.toBe(await stroke('.lane.correct .lane-line'));
    expect(await page.$$eval('svg.msc .lane.witness', (els) => els.length)).toBe(4);
    expect(await page.textContent('header .violation')).toBe('termination violated: after round 4, p0, p1, p2, p3 have not decided');
    expect(await page.textContent('header .witnesses')).toBe('Witnesses: p0, p1, p2, p3');
    expect(await page.$$eval('svg.msc .broadcast', (els) => els.length)).toBe(16);
    expect(await page.$$eval('svg.msc .byz-msg.equivocation', (els) => els.length)).toBe(16);
    expect(await page.$$eval('svg.msc .equivocation-note', (els) => els.length)).toBe(4);
    expect(await page.$$eval('svg.msc .witness-state', (els) => els.map((e) => e.getAttribute('data-processes')))).toEqual(['0', '1', '2', '3']);
    expect(await page.$$eval('svg.msc .decision', (els) => els.length)).toBe(0);
    expect(await page.textContent('pre.timeline')).toBe(traceToText(trace));
    expect(await page.$$eval('script, link, img, iframe', (els) => els.length)).toBe(0);
    const box = await page.$eval('svg.msc', (e) => e.getBoundingClientRect().toJSON() as { width: number; height: number });
    expect(box.width).toBeGreaterThan(400);
    expect(box.height).toBeGreaterThan(400);
    expect(await overlappingTexts(page)).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  test('a broken protocol: decision markers, the agreement witnesses, one screenshot', async () => {
    const orm = parse(ONE_ROUND_MAJORITY, 'orm.bft');
    const trace = run(orm, 7, 2, [0, 0, 1, 1, 0, 0, 0]);
    const { page, requests } = await open(traceToHtml(trace, { protocol: orm }));
    expect(await page.$$eval('svg.msc .state[data-processes="3"][data-round="1"] .rule', (els) => els.map((e) => e.lastChild?.textContent))).toEqual(['1. otherwise', '→ decide maj(VOTE)']);
    expect(await page.textContent('h1')).toBe('OneRoundMajority: agreement violated');
    expect(await page.textContent('header .violation')).toBe('agreement violated in round 1: p0 decided 0, p3 decided 1');
    expect(await page.$$eval('svg.msc .lane.byzantine', (els) => els.map((e) => e.getAttribute('data-process')))).toEqual(['5', '6']);
    const decisions = await page.$$eval('svg.msc .decision', (els) => els.map((e) => [e.getAttribute('data-processes'), e.getAttribute('data-value'), e.getAttribute('data-round')]));
    expect(decisions).toEqual([
      ['0', '0', '1'],
      ['1', '0', '1'],
      ['2', '0', '1'],
      ['3', '1', '1'],
      ['4', '1', '1'],
    ]);
    expect(await page.$$eval('svg.msc .witness-state', (els) => els.map((e) => e.getAttribute('data-processes')))).toEqual(['0', '3']);
    expect(await page.$eval('svg.msc .decision title', (e) => e.textContent)).toBe('p0 decides 0 in round 1');
    expect(await overlappingTexts(page)).toEqual([]);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(requests).toEqual([]);
    await page.close();
  });

  test('n = 13: at most 10 lanes, the rest summarized in group lanes', async () => {
    const trace = run(fixture('phase-king.bft'), 13, 3, [0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0], random(3), 4);
    const { page } = await open(traceToHtml(trace), 1600);
    const lanes = await page.$$eval('svg.msc .lane', (els) => els.map((e) => e.getAttribute('class')));
    expect(lanes.length).toBeLessThanOrEqual(10);
    expect(await page.$$eval('svg.msc .lane.byzantine', (els) => els.map((e) => e.getAttribute('data-process')))).toEqual(['10', '11', '12']);
    expect(await page.$eval('svg.msc .lane.group', (e) => e.getAttribute('data-processes'))).toBe('5,6,7,8,9');
    expect(await page.textContent('p.note')).toContain('summarized in group lanes');
    expect(await page.textContent('h1')).toBe('PhaseKing: no claimed property violated');
    await page.close();
  });
  test('with its protocol: the text of the rule that fired above each state, the rules listed, a golden page', async () => {
    const trace = goldenTrace();
    const html = traceToHtml(trace, { protocol: fixture('quorum-vote.bft'), file: QUORUM_VOTE });
    expectGolden(join(ROOT, 'test', 'golden', 'trace', 'quorum-vote.protocol.html'), html);
    const { page, requests } = await open(html);
    const head = (process: number, round: number) => page.$$eval(`svg.msc .state[data-processes="${process}"][data-round="${round}"] .rule`, (els) => els.map((e) => e.lastChild?.textContent));
    expect(await head(0, 1)).toEqual(['3. otherwise', '→ v := maj(VOTE)']);
    expect(await head(3, 4)).toEqual(['3. otherwise', '→ v := maj(VOTE)']);
    expect(await head(0, 0)).toEqual(['initial']);
    expect(await page.$eval('svg.msc .state[data-processes="2"][data-round="2"] .rule title', (e) => e.textContent)).toBe('p2 fired rule 3 of round vote: otherwise: v := maj(VOTE)');
    expect(await page.$$eval('svg.msc .rule', (els) => els.filter((e) => /^rule \d/.test(e.lastChild?.textContent ?? '')).length)).toBe(0);
    // the page lists every rule, with how often it fired in this run
    const rules = await page.textContent('pre.rules');
    expect(rules).toContain('1. when count(VOTE, 0) >= n - t: v := 0; decide 0');
    expect(rules).toContain('2. when count(VOTE, 1) >= n - t: v := 1; decide 1');
    expect(rules).toContain('3. otherwise: v := maj(VOTE)    (fired 16×)');
    expect(await page.textContent('dl.facts')).toContain(QUORUM_VOTE);
    expect(await overlappingTexts(page)).toEqual([]);
    expect(await page.$$eval('script, link, img, iframe', (els) => els.length)).toBe(0);
    await page.screenshot({ path: SCREENSHOT_RULES, fullPage: true });
    expect(requests).toEqual([]);
    await page.close();
  });

  test('without the protocol, or with another one, rules are shown by number', async () => {
    const trace = goldenTrace();
    for (const html of [traceToHtml(trace), traceToHtml(trace, { protocol: parse(ONE_ROUND_MAJORITY, 'orm.bft') })]) {
      const { page } = await open(html);
      expect(await page.$$eval('svg.msc .state[data-round="1"] .rule', (els) => els.map((e) => e.textContent))).toEqual(['rule 3', 'rule 3', 'rule 3', 'rule 3']);
      expect(await page.$$eval('pre.rules', (els) => els.length)).toBe(0);
      await page.close();
    }
    const { page } = await open(traceToHtml(trace, { protocol: parse(ONE_ROUND_MAJORITY, 'orm.bft') }));
    expect(await page.textContent('p.note.mismatch')).toMatch(/^The protocol given \(OneRoundMajority, hash [0-9a-f]{12}\) is not the one of this trace \(hash 9ffb1f34f001\)/);
    await page.close();
  });

  test('withheld messages: a crossed grey arrow per silent receiver, a badge for a sender silent to all', async () => {
    const trace = withholdingTrace();
    expect(trace.rounds.map((r) => r.byzantine.length)).toEqual([2, 0]);
    const withProtocol = traceToHtml(trace, { protocol: fixture('quorum-vote.bft') });
    const { page, requests } = await open(withProtocol);
    const withheld = await page.$$eval('svg.msc .withheld', (els) =>
      els.map((e) => [e.getAttribute('data-round'), e.getAttribute('data-from'), e.getAttribute('data-to'), e.getAttribute('data-messages'), e.querySelector('line.withheld-arrow')?.getAttribute('marker-end'), e.querySelector('text')?.lastChild?.textContent]),
    );
    expect(withheld).toEqual([
      ['1', '4', '2', 'VOTE', 'url(#withheld-x)', 'no VOTE'],
      ['1', '4', '3', 'VOTE', 'url(#withheld-x)', 'no VOTE'],
    ]);
    // what p4 did send is still drawn in red
    expect(await page.$$eval('svg.msc .byz-msg', (els) => els.map((e) => `${e.getAttribute('data-round')}:${e.getAttribute('data-to')}`))).toEqual(['1:0', '1:1']);
    // round 2: p4 sends nothing at all, one badge rather than four arrows
    expect(await page.$$eval('svg.msc .silent', (els) => els.map((e) => [e.getAttribute('data-round'), e.getAttribute('data-from'), e.getAttribute('data-messages'), e.querySelector('text')?.lastChild?.textContent]))).toEqual([
      ['2', '4', 'VOTE', '✕ silent'],
    ]);
    // the grey arrow and its cross are drawn in another colour than the red ones
    const stroke = (sel: string) => page.$eval(sel, (e) => e.ownerDocument.defaultView?.getComputedStyle(e).stroke);
    expect(await stroke('.withheld-arrow')).not.toBe(await stroke('.byz-arrow'));
    expect(await page.textContent('.legend')).toContain('withheld');
    expect(await overlappingTexts(page)).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
    // without the protocol, the round's message types are inferred from what was sent: the same markers
    const inferred = (html: string) => html.split('\n').filter((l) => /^<g class="(withheld|silent)/.test(l));
    expect(inferred(traceToHtml(trace))).toEqual(inferred(withProtocol));
  });

  test('many withheld messages are summarized, not drawn one by one', async () => {
    const p = fixture('phase-king.bft');
    const trace = run(p, 13, 3, [0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0], random(3), 4);
    const { page } = await open(traceToHtml(trace, { protocol: p }), 1600);
    const arrows = await page.$$eval('svg.msc .withheld', (els) => els.map((e) => `${e.getAttribute('data-round')}/${e.getAttribute('data-from')}`));
    expect(arrows.length).toBeGreaterThan(0);
    const perRow = new Map<string, number>();
    for (const a of arrows) perRow.set(a, (perRow.get(a) ?? 0) + 1);
    expect(Math.max(...perRow.values())).toBeLessThanOrEqual(MAX_WITHHELD_ARROWS);
    expect(await overlappingTexts(page)).toEqual([]);
    await page.close();

    // p10 sends its round-1 messages to p0 only: the other receivers are summarized on its lane
    const q = fixture('quorum-vote.bft');
    const only = run(q, 13, 3, [0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0], scripted('one receiver', [[{ from: 10, to: 0, message: 'VOTE', payload: 1 }]]), 1);
    const second = await open(traceToHtml(only, { protocol: q }), 1600);
    expect(await second.page.$$eval('svg.msc .withheld[data-from="10"]', (els) => els.length)).toBe(0);
    expect(await second.page.$$eval('svg.msc .withheld-summary', (els) => els.map((e) => [e.getAttribute('data-from'), e.querySelector('text')?.lastChild?.textContent]))).toEqual([['10', 'no VOTE to 9']]);
    expect(await second.page.$$eval('svg.msc .silent', (els) => els.map((e) => e.getAttribute('data-from')))).toEqual(['11', '12']);
    expect(await overlappingTexts(second.page)).toEqual([]);
    await second.page.close();
  });

  test('the chart uses the page width: viewBox, width 100%, sideways scroll only below its minimum size', async () => {
    const html = traceToHtml(goldenTrace(), { protocol: fixture('quorum-vote.bft') });
    const widths: number[] = [];
    for (const viewport of [1100, 1400]) {
      const { page } = await open(html, viewport);
      expect(await page.$eval('svg.msc', (e) => e.getAttribute('width'))).toBe('100%');
      expect(await page.$eval('svg.msc', (e) => e.getAttribute('viewBox'))).toMatch(/^0 0 \d+ \d+$/);
      const size = await page.$eval('.chart', (c) => ({ client: c.clientWidth, scroll: c.scrollWidth, svg: c.querySelector('svg')!.getBoundingClientRect().width }));
      expect(size.scroll).toBe(size.client); // no sideways scroll
      expect(size.svg).toBeGreaterThan(size.client - 12); // the chart fills its box
      widths.push(size.svg);
      await page.close();
    }
    expect(widths[1]).toBeGreaterThan(widths[0]! + 250);
    // a phone-sized page: the chart keeps its minimum size and scrolls sideways
    const { page } = await open(html, 480);
    const narrow = await page.$eval('.chart', (c) => ({ client: c.clientWidth, scroll: c.scrollWidth, svg: c.querySelector('svg')!.getBoundingClientRect().width, min: parseFloat(c.ownerDocument.defaultView?.getComputedStyle(c.querySelector('svg')!).minWidth ?? '') }));
    expect(narrow.scroll).toBeGreaterThan(narrow.client);
    expect(narrow.svg).toBeCloseTo(narrow.min, 0);
    await page.close();
  });
});
