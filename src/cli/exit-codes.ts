import type { ErrorCode } from "../shared/errors.ts";

/** Exit codes, documented in README.md: scripts branch on them. */
export const EXIT = { ok: 0, failure: 1, usage: 2, config: 3, listen: 4 } as const;

export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case "USAGE":
      return EXIT.usage;
    case "CONFIG_INVALID":
    case "CONFIG_NOT_FOUND":
    case "CONFIG_ENV_MISSING":
      return EXIT.config;
    case "LISTEN_FAILED":
      return EXIT.listen;
    default:
      return EXIT.failure;
  }
}
