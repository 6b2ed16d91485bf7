/** Summaries of samples: what the bench prints beside each target. */

export interface Summary {
  n: number;
  p25: number;
  median: number;
  p75: number;
  p90: number;
}

/** Linear interpolation between closest ranks. */
function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return { n: sorted.length, p25: quantile(sorted, 0.25), median: quantile(sorted, 0.5), p75: quantile(sorted, 0.75), p90: quantile(sorted, 0.9) };
}

/** "193 ms (p25 180, p75 201, n=10)". */
export function formatMs(s: Summary): string {
  return `${s.median.toFixed(0)} ms (p25 ${s.p25.toFixed(0)}, p75 ${s.p75.toFixed(0)}, n=${s.n})`;
}
