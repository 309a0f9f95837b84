/** Latency samples and their summary. Samples are kept whole (not bucketed) up to a cap. */

/** Bounds the recorder's memory: 4M samples is far above what a 2-core machine reaches in a cell. */
const MAX_SAMPLES = 4_000_000;

export interface LatencyRecorder {
  add(ms: number): void;
  count(): number;
  /** Sorted copy of the samples; `dropped` counts samples beyond the cap. */
  sorted(): { samples: Float64Array; dropped: number };
}

export function createLatencyRecorder(): LatencyRecorder {
  let samples = new Float64Array(1 << 16);
  let length = 0;
  let dropped = 0;
  return {
    add(ms: number): void {
      if (length === samples.length) {
        if (length >= MAX_SAMPLES) {
          dropped++;
          return;
        }
        const grown = new Float64Array(Math.min(length * 2, MAX_SAMPLES));
        grown.set(samples);
        samples = grown;
      }
      samples[length++] = ms;
    },
    count: () => length + dropped,
    sorted: () => ({ samples: samples.slice(0, length).sort(), dropped }),
  };
}

/** Nearest-rank percentile of sorted samples (p in 0..100); NaN when there are none. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

export interface LatencySummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function summarize(recorder: LatencyRecorder): LatencySummary {
  const { samples } = recorder.sorted();
  let sum = 0;
  for (const value of samples) sum += value;
  return {
    count: recorder.count(),
    meanMs: samples.length === 0 ? Number.NaN : sum / samples.length,
    p50Ms: percentile(samples, 50),
    p90Ms: percentile(samples, 90),
    p99Ms: percentile(samples, 99),
    maxMs: samples.length === 0 ? Number.NaN : (samples[samples.length - 1] ?? Number.NaN),
  };
}
