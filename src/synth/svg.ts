// The learning curve as a self-contained SVG: mean reward per batch (moving
// average) and the number of distinct verified protocols, both against
// candidates proposed. No plotting dependency: two polylines and axes.

export interface CurvePoint {
  candidates: number;
  /** mean reward of the batch that ended here. */
  reward: number;
  verified: number;
}

const W = 640;
const H = 320;
const PAD = { left: 56, right: 56, top: 28, bottom: 40 };

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function curveSvg(title: string, points: readonly CurvePoint[]): string {
  const maxX = Math.max(1, ...points.map((p) => p.candidates));
  const maxR = Math.max(0.1, ...points.map((p) => p.reward));
  const maxV = Math.max(1, ...points.map((p) => p.verified));
  const x = (c: number): number => PAD.left + ((W - PAD.left - PAD.right) * c) / maxX;
  const yR = (r: number): number => H - PAD.bottom - ((H - PAD.top - PAD.bottom) * r) / maxR;
  const yV = (v: number): number => H - PAD.bottom - ((H - PAD.top - PAD.bottom) * v) / maxV;
  // moving average over ~5% of the points: batches are noisy
  const k = Math.max(1, Math.round(points.length / 20));
  const smooth = points.map((_, i) => {
    const win = points.slice(Math.max(0, i - k + 1), i + 1);
    return win.reduce((s, p) => s + p.reward, 0) / win.length;
  });
  const line = (ys: number[]): string => points.map((p, i) => `${x(p.candidates).toFixed(1)},${ys[i]!.toFixed(1)}`).join(' ');
  const bottom = H - PAD.bottom;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<title>${esc(title)}</title>`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="16" text-anchor="middle" font-size="13">${esc(title)}</text>`,
    `<line x1="${PAD.left}" y1="${bottom}" x2="${W - PAD.right}" y2="${bottom}" stroke="black"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${bottom}" stroke="#1f77b4"/>`,
    `<line x1="${W - PAD.right}" y1="${PAD.top}" x2="${W - PAD.right}" y2="${bottom}" stroke="#d62728"/>`,
    `<text x="${W / 2}" y="${H - 8}" text-anchor="middle">candidates (0 .. ${maxX})</text>`,
    `<text x="${PAD.left - 6}" y="${PAD.top + 4}" text-anchor="end" fill="#1f77b4">${maxR.toFixed(2)}</text>`,
    `<text x="${PAD.left - 6}" y="${bottom}" text-anchor="end" fill="#1f77b4">0</text>`,
    `<text x="${W - PAD.right + 6}" y="${PAD.top + 4}" fill="#d62728">${maxV}</text>`,
    `<text x="${W - PAD.right + 6}" y="${bottom}" fill="#d62728">0</text>`,
    `<text x="${PAD.left + 8}" y="${PAD.top + 12}" fill="#1f77b4">mean reward (moving average)</text>`,
    `<text x="${PAD.left + 8}" y="${PAD.top + 26}" fill="#d62728">distinct verified protocols</text>`,
    points.length > 0 ? `<polyline id="reward" fill="none" stroke="#1f77b4" stroke-width="1.5" points="${line(smooth.map(yR))}"/>` : '',
    points.length > 0 ? `<polyline id="verified" fill="none" stroke="#d62728" stroke-width="1.5" points="${line(points.map((p) => yV(p.verified)))}"/>` : '',
    '</svg>',
    '',
  ].join('\n');
}
