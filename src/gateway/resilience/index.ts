/** Staying up: circuit breakers, retries, outlier ejection and health of upstream replicas. */
export {
  type Admission,
  type BreakerSettings,
  CircuitBreaker,
  type CircuitState,
} from "./breaker.ts";
export {
  classify,
  type HealthReport,
  type ReplicaHealth,
  type ServerHealth,
} from "./health-status.ts";
export { ResilienceMetrics } from "./metrics.ts";
export type { ResilienceObserver } from "./observer.ts";
export { RetryBudget } from "./retry-budget.ts";
export { type AnnotationsOf, circuitOpen, isServerFailure, safeToRepeat } from "./retry-rules.ts";
export { type ResilienceSettings, resilienceSettings } from "./settings.ts";
export { type GuardedReplica, UpstreamGuard, type UpstreamGuardOptions } from "./upstream-guard.ts";
