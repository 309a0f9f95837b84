import type { Logger } from "../shared/logger.ts";

/** Resolves on the first SIGINT/SIGTERM; a second one exits at once. */
export function untilSignal(logger: Logger): Promise<string> {
  return new Promise((resolve) => {
    const onSignal = (signal: string) => {
      process.once("SIGINT", () => process.exit(130));
      process.once("SIGTERM", () => process.exit(143));
      logger.info({ signal }, "shutting down: draining in-flight calls");
      resolve(signal);
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  });
}

/** Log lines are written asynchronously: wait for them before the process exits. */
export function flushed(logger: Logger): Promise<void> {
  return new Promise((resolve) => logger.flush(() => resolve()));
}
