// The HTML page of crash and omission traces and of user-property violations
// (issue 14), rendered in real headless Chromium (Debian's package) as
// test/html.test.ts does: faulty lanes labelled with their kind, withheld
// messages as crossed arrows, crash markers that end a lane, the user
// property in the banner and its witness lanes, and large n.
import { existsSync } from 'fs';
import { join } from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { traceToHtml } from '../src/trace/html';
import { MAX_LANES } from '../src/trace/html-lanes';
import { expectGolden } from './helpers/golden';
import { crashRun, crashTrace, EAGER_FLOODMIN, fixtureProtocol, MINFLOOD_OMISSION, omissionTrace } from './fixtures/traces-faults/traces';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = '/tmp/bftsynth-trace-html-crash.png';
const SCREENSHOT_OMISSION = '/tmp/bftsynth-trace-html-omission.png';
const SCREENSHOT_LARGE = '/tmp/bftsynth-trace-html-crash-large.png';

/** A crash run at n = 30: p22..p29 crash in round 1, each reaching one process. */
const largeCrash = () => {
  const n = 30;
  return crashRun(
    n,
    9,
    Array.from({ length: n }, (_, i) => (i >= 22 ? 0 : 1)),
    Array.from({ length: 8 }, (_, k) => ({ who: 22 + k, reached: [k] })),
  );
};

// As in test/html.test.ts: CI installs Chromium, so there a missing browser
// fails; elsewhere the tests are skipped with a note.
const haveChromium = existsSync(CHROMIUM);
const inCI = process.env.CI === 'true';
if (!haveChromium && !inCI) {
  console.warn(`test/html-faults.test.ts: SKIPPED: ${CHROMIUM} is not installed (scripts/install-system.sh installs Debian's chromium; with CI=true these tests fail instead)`);
}
if (!haveChromium && inCI) {
  test('Chromium is installed (CI=true)', () => {
    throw new Error(`${CHROMIUM} is not installed, and CI=true: CI must run scripts/install-system.sh, which installs Debian's chromium for these tests`);
  });
}
const describeIfChromium = haveChromium ? describe : describe.skip;

describe('the HTML of fault traces, as text', () => {
  test('a Byzantine page does not get the fault stylesheet or legend; a crash page does', () => {
    const crash = traceToHtml(crashTrace());
    expect(crash).toContain('svg.msc .crash-badge');
    expect(crash).toContain('<dt>faulty (crash)</dt><dd>{p2}</dd>');
    expect(crash).toContain('<dt>crashes</dt><dd>round 1: p2</dd>');
    expect(crash).not.toContain('Byzantine message to one receiver');
    const golden = traceToHtml(crashTrace(), { protocol: fixtureProtocol(EAGER_FLOODMIN), file: EAGER_FLOODMIN });
    expectGolden(join(__dirname, 'golden', 'trace-faults', 'crash.html'), golden);
  });

  test('a user violation without witnesses in a Byzantine trace: its name in the title, "Witnesses: none"', () => {
    const trace = { ...crashTrace(), faults: undefined, faulty: undefined, byzantine: [2], inputs: [1, 1, null], initial: [crashTrace().initial[0]!, crashTrace().initial[1]!, null] };
    const html = traceToHtml({ ...trace, rounds: [], violations: [{ property: 'user', name: 'two_set', round: 0, processes: [] }] });
    expect(html).toContain('<h1>EagerFloodMin: two_set violated</h1>');
    expect(html).toContain('<p class="violation" data-property="user" data-name="two_set">property two_set violated in the initial states: no witnesses</p>');
    expect(html).toContain('<p class="witnesses">Witnesses: none</p>');
    expect(html).not.toContain('crash-badge');
  });
});

describeIfChromium('the HTML page of crash and omission traces in headless Chromium', () => {
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

  async function open(html: string, width = 1100): Promise<{ page: Page; requests: string[] }> {
    const page = await browser.newPage({ viewport: { width, height: 900 }, javaScriptEnabled: false });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.setContent(html, { waitUntil: 'load' });
    return { page, requests };
  }

  /** Pairs of SVG text elements whose boxes overlap. */
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

  test('crash: the faulty lane says so, ends at its crash marker, and the withheld message is a crossed arrow', async () => {
    const { page, requests } = await open(traceToHtml(crashTrace(), { protocol: fixtureProtocol(EAGER_FLOODMIN), file: EAGER_FLOODMIN }));
    expect(await page.$$eval('svg.msc .lane', (els) => els.map((e) => e.getAttribute('class')))).toEqual(['lane correct witness', 'lane correct witness', 'lane faulty crash']);
    expect(await page.textContent('svg.msc .lane.faulty .lane-sub')).toBe('crash · input 0');
    expect(await page.$$eval('svg.msc g.crash-mark', (els) => els.map((e) => `${e.getAttribute('data-process')}@${e.getAttribute('data-round')}:${e.textContent}`))).toEqual([
      expect.stringMatching(/^2@1:p2 crashes in round 1: it sent VAL\(0\), withheld from p1; .*✕ crashed$/),
    ]);
    // p2's lane ends at its crash marker; the others run to the bottom
    const ends = await page.$$eval('svg.msc .lane-line', (els) => els.map((e) => Number(e.getAttribute('y2'))));
    const marker = await page.$eval('svg.msc g.crash-mark rect', (e) => Number(e.getAttribute('y')));
    expect(ends[2]).toBe(marker);
    expect(ends[0]).toBeGreaterThan(marker + 100);
    const arrows = await page.$$eval('svg.msc g.fault-withheld', (els) => els.map((e) => `${e.getAttribute('data-round')}:${e.getAttribute('data-from')}->${e.getAttribute('data-to')} ${e.textContent}`));
    expect(arrows).toEqual([expect.stringMatching(/^1:2->1 .*VAL\(0\) withheld$/)]);
    expect(await page.$$eval('svg.msc g.fault-withheld line', (els) => els.map((e) => e.getAttribute('marker-end')))).toEqual(['url(#withheld-x)']);
    // the crashed process has no state box after its crash
    expect(await page.$$eval('svg.msc g.state', (els) => els.filter((e) => e.getAttribute('data-processes') === '2').map((e) => e.getAttribute('data-round')))).toEqual(['0']);
    expect(await page.textContent('h1')).toBe('EagerFloodMin: agreement, validity violated');
    expect(await page.textContent('.legend')).toContain('crash: the process takes no step from this round on');
    expect(await page.textContent('pre.timeline')).toContain('p2 CRASHES: VAL(0) reached p0 only (withheld from p1)');
    expect(await overlappingTexts(page)).toEqual([]);
    expect(requests).toEqual([]);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await page.close();
  });

  test('omission: withheld arrows per receiver, the faulty lane has states, the user property in the banner and its witness lane', async () => {
    const html = traceToHtml(omissionTrace(), { protocol: fixtureProtocol(MINFLOOD_OMISSION), file: MINFLOOD_OMISSION });
    expectGolden(join(__dirname, 'golden', 'trace-faults', 'omission.html'), html);
    const { page } = await open(html);
    expect(await page.textContent('h1')).toBe('MinFloodOmission: converge violated');
    expect(await page.$eval('p.violation', (e) => [e.getAttribute('data-property'), e.getAttribute('data-name'), e.textContent])).toEqual([
      'user',
      'converge',
      'property converge violated at the end of round 2: witness p2',
    ]);
    expect(await page.textContent('p.witnesses')).toBe('Witnesses: p2');
    expect(await page.$$eval('svg.msc .lane', (els) => els.map((e) => e.getAttribute('class')))).toEqual(['lane correct', 'lane faulty omission', 'lane correct witness']);
    expect(await page.textContent('svg.msc .lane.faulty .lane-sub')).toBe('omission · input 0');
    const arrows = await page.$$eval('svg.msc g.fault-withheld', (els) => els.map((e) => `${e.getAttribute('data-round')}:${e.getAttribute('data-from')}->${e.getAttribute('data-to')}`));
    expect(arrows).toEqual(['1:1->0', '1:1->2', '2:1->2']);
    // the omission-faulty p1 has a state box every round; the witness p2 is marked at boundary 2
    expect(await page.$$eval('svg.msc g.state[data-processes="1"]', (els) => els.map((e) => e.getAttribute('data-round')))).toEqual(['0', '1', '2']);
    expect(await page.$$eval('svg.msc g.witness-state', (els) => els.map((e) => `${e.getAttribute('data-processes')}@${e.getAttribute('data-round')}`))).toEqual(['2@2']);
    expect(await page.$$eval('svg.msc g.crash-mark', (els) => els.length)).toBe(0);
    expect(await page.$$eval('svg.msc .band-label', (els) => els.map((e) => e.textContent))).toContain('round 2 · phase 2 · flood · leader p1 (omission-faulty)');
    expect(await overlappingTexts(page)).toEqual([]);
    await page.screenshot({ path: SCREENSHOT_OMISSION, fullPage: true });
    await page.close();
  });

  test(`n = 30 with 8 crashes: at most ${MAX_LANES} lanes, the faulty ones grouped, withheld messages summarized`, async () => {
    const trace = largeCrash();
    const { page } = await open(traceToHtml(trace, { protocol: fixtureProtocol(EAGER_FLOODMIN) }));
    const lanes = await page.$$eval('svg.msc .lane', (els) => els.map((e) => `${e.getAttribute('class')}:${e.getAttribute('data-process') ?? e.getAttribute('data-processes')}`));
    expect(lanes.length).toBeLessThanOrEqual(MAX_LANES);
    expect(lanes.filter((l) => l.startsWith('lane faulty crash'))).toEqual(['lane faulty crash:22', 'lane faulty crash:23', 'lane faulty crash:24', 'lane faulty crash group:25,26,27,28,29']);
    expect(await page.textContent('svg.msc .lane.faulty.group .lane-sub')).toBe('5 crash-faulty');
    // a crashing sender that loses its message to more lanes than the arrow limit gets one summary line
    const summaries = await page.$$eval('svg.msc g.fault-withheld-summary', (els) => els.map((e) => `${e.getAttribute('data-from')}: ${e.textContent}`));
    expect(summaries.length).toBeGreaterThan(0);
    expect(summaries[0]).toMatch(/^22: sent, but withheld from the receiver \(crash\): p22 -\/-> p1: VAL\(0\);.*… 13 moreVAL\(0\) withheld ×21$/);
    expect(await page.$$eval('svg.msc g.crash-mark', (els) => els.map((e) => e.getAttribute('data-process')))).toEqual(['22', '23', '24']);
    expect(await page.textContent('svg.msc g.state[data-processes="25,26,27,28,29"][data-round="1"]')).toContain('✕ 5 crashed');
    expect(await page.textContent('p.note')).toContain('the faulty processes, the witnesses');
    expect(await overlappingTexts(page)).toEqual([]);
    await page.screenshot({ path: SCREENSHOT_LARGE, fullPage: true });
    await page.close();
  });
});
