import type { OutlierConfig } from "../../config/types.ts";

/** Below this, latency differences are noise (a 2 ms replica beside a 0.3 ms one is fine). */
export const MIN_OUTLIER_LATENCY_MS = 50;

/** What outlier decisions need to know of one replica. */
export interface OutlierView {
  /** Has a ready connection. */
  ready: boolean;
  ejected: boolean;
  /** Smoothed latency of its recent successful calls; undefined before the first. */
  latencyMs: number | undefined;
}

/** Replicas that would still take calls if `index` were ejected. */
function othersServing(views: readonly OutlierView[], index: number): number {
  let count = 0;
  for (let i = 0; i < views.length; i++) {
    const view = views[i];
    if (i !== index && view?.ready && !view.ejected) count++;
  }
  return count;
}

/** Ejecting never leaves a server without a replica to call. */
export function canEject(views: readonly OutlierView[], index: number): boolean {
  return othersServing(views, index) > 0;
}

/** Each ejection of the same replica lasts twice the one before, up to the ceiling. */
export function ejectionDuration(ejections: number, settings: OutlierConfig): number {
  return Math.min(settings.maxEjectionMs, settings.ejectionMs * 2 ** Math.min(ejections, 20));
}

function median(values: number[]): number {
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2 === 1
    ? (values[mid] ?? 0)
    : ((values[mid - 1] ?? 0) + (values[mid] ?? 0)) / 2;
}

/**
 * Replicas whose latency is over `latencyFactor` times the median of their
 * serving peers (and over MIN_OUTLIER_LATENCY_MS). At most one per round, the
 * slowest, and only if the others keep serving.
 */
export function slowOutlier(
  views: readonly OutlierView[],
  settings: OutlierConfig,
): number | undefined {
  let worst: number | undefined;
  let worstRatio = 0;
  for (let i = 0; i < views.length; i++) {
    const view = views[i];
    if (!view?.ready || view.ejected || view.latencyMs === undefined) continue;
    if (view.latencyMs < MIN_OUTLIER_LATENCY_MS) continue;
    const peers = views
      .filter((v, j) => j !== i && v.ready && !v.ejected && v.latencyMs !== undefined)
      .map((v) => v.latencyMs as number);
    if (peers.length === 0) continue;
    const ratio = view.latencyMs / Math.max(1, median(peers));
    if (ratio >= settings.latencyFactor && ratio > worstRatio) {
      worst = i;
      worstRatio = ratio;
    }
  }
  return worst !== undefined && canEject(views, worst) ? worst : undefined;
}
