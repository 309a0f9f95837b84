/** Hot reload of sophia.yaml: what changed, and applying it to a running gateway. */
export { type ConfigDiff, diffConfigs } from "./diff.ts";
export { reloadCounter } from "./metrics.ts";
export {
  type ReloadDeps,
  Reloader,
  type ReloadReport,
  type ReloadResult,
} from "./reloader.ts";
export { type WatchOptions, watchFile } from "./watch.ts";
