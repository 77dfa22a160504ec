// Small numeric helpers for the reports.
export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const h = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

export function geomean(xs: readonly number[]): number | null {
  const pos = xs.filter((x) => x > 0);
  if (pos.length === 0) return null;
  return Math.exp(pos.reduce((s, x) => s + Math.log(x), 0) / pos.length);
}

/** 0.0123 -> "0.012", 12.34 -> "12.3", 1234 -> "1234" */
export function fmtNum(x: number | null, digits = 3): string {
  if (x === null || !Number.isFinite(x)) return '-';
  if (x >= 100) return Math.round(x).toString();
  return Number(x.toPrecision(digits)).toString();
}

export function fmtMs(ms: number | null): string {
  return ms === null ? '-' : Math.round(ms).toString();
}
