import { RESILIENCE_DEFAULTS } from "../../config/defaults.ts";
import type {
  BreakerConfig,
  HealthConfig,
  OutlierConfig,
  RetryConfig,
  UpstreamCommon,
} from "../../config/types.ts";

export interface ResilienceSettings {
  breaker: BreakerConfig;
  retry: RetryConfig;
  outlier: OutlierConfig;
  health: HealthConfig;
  listTimeoutMs: number;
}

/** A server's resilience settings: its own sections where given, the defaults elsewhere. */
export function resilienceSettings(config: UpstreamCommon): ResilienceSettings {
  return {
    breaker: config.breaker ?? RESILIENCE_DEFAULTS.breaker,
    retry: config.retry ?? RESILIENCE_DEFAULTS.retry,
    outlier: config.outlier ?? RESILIENCE_DEFAULTS.outlier,
    health: config.health ?? RESILIENCE_DEFAULTS.health,
    listTimeoutMs: config.listTimeoutMs ?? RESILIENCE_DEFAULTS.listTimeoutMs,
  };
}
