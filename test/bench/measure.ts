// Small measuring tools for the benchmarks: timing, percentiles, and the result record that
// bench/results.json is made of.
export type BenchResult = {
  name: string;
  value: number;
  unit: string;
  /** The target from the issue, and which way is better. */
  target?: { value: number; better: 'higher' | 'lower' };
  detail?: Record<string, number | string>;
};

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function meets(result: BenchResult): boolean | null {
  if (!result.target) return null;
  return result.target.better === 'higher' ? result.value >= result.target.value : result.value <= result.target.value;
}

export async function timed<T>(body: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await body();
  return { ms: performance.now() - start, value };
}
