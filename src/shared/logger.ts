import { type DestinationStream, type Logger, pino } from "pino";

export type { Logger };

/** Paths whose values never reach a log line, whatever the caller passes. */
const REDACT = [
  "headers.authorization",
  "headers.cookie",
  "*.headers.authorization",
  "*.headers.Authorization",
  "*.env",
  "env",
  "secret",
  "*.secret",
  "token",
  "*.token",
  "password",
  "*.password",
  "apiKey",
  "*.apiKey",
];

export interface LoggerOptions {
  level?: string;
  /** Where lines go; standard error by default so stdout stays free for the stdio transport. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: { service: "sophia" },
      redact: { paths: REDACT, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ fd: 2, sync: false }),
  );
}

/** A logger that drops everything, for tests and library callers that pass none. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
