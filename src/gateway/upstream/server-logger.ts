import type { Logger } from "../../shared/logger.ts";

/** A logger bound to `server: name`, unless the caller bound it already (no duplicate keys in lines). */
export function serverLogger(logger: Logger, name: string): Logger {
  return logger.bindings().server === name ? logger : logger.child({ server: name });
}
