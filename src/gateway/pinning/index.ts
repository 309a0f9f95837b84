/** Tool definition pinning: detect tools whose definition changed after approval (log, flag or block). */

export { buildPinning } from "./build.ts";
export {
  DEFAULT_PIN_FILE,
  type PinMode,
  type PinningConfig,
  pinFilePath,
  readPinning,
} from "./config.ts";
export { changedFields, PINNED_FIELDS, toolDigest } from "./digest.ts";
export { pinningFilter, pinningInterceptor } from "./interceptor.ts";
export { readPins, writePins } from "./pin-file.ts";
export {
  approve,
  type Change,
  EMPTY_PINS,
  type Pin,
  type Pins,
  pendingChanges,
  pinKey,
  reconcile,
} from "./pins.ts";
export { ToolPins } from "./tool-pins.ts";
export { TOOL_DEFINITION_CHANGED } from "./wire.ts";
