/** Small statistics for benchmark samples. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

export function median(samples: number[]): number {
  return percentile(samples, 0.5);
}

/** (max - min) / median, as a fraction: how much repetitions disagree. */
export function spread(samples: number[]): number {
  const m = median(samples);
  return m === 0 ? 0 : (Math.max(...samples) - Math.min(...samples)) / m;
}
