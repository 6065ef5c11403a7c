/**
 * What each benchmark section returns. `npm run bench` (bench/run.ts) runs the sections in one
 * process tree, prints one table and writes bench/results/latest.json. Machines here are shared
 * and noisy: every timing is a median or percentile over many runs, compared with a baseline
 * measured in the same run, never a lone time.
 */
export interface Measurement {
  /** What was measured, e.g. "resolve exact (real taxonomy)". */
  name: string;
  /** "µs", "ms", "req/s", "MB", "%", "x". */
  unit: string;
  p50?: number;
  p99?: number;
  /** A single figure when percentiles do not apply (requests per second, accuracy, RSS). */
  value?: number;
  /** The baseline measured in the same run, if any, and its figure in the same unit. */
  baseline?: { name: string; p50?: number; p99?: number; value?: number };
  /** The bar from the issue, in words ("p99 < 20 µs"), and whether this run met it. */
  bar?: string;
  pass?: boolean;
  /** Anything a reader needs: sample size, why a bar is out of reach, and so on. */
  note?: string;
}

export interface SectionResult {
  section: string;
  measurements: Measurement[];
  /** Set when the section could not run here (e.g. no database configured), with the reason. */
  skipped?: string;
}

/** Percentile of a sorted ascending array (nearest-rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}
