import assert from "node:assert/strict";
import { ConfigError } from "../../src/config/config-error.ts";
import { parseConfigText } from "../../src/config/parse.ts";
import type { SophiaConfig } from "../../src/config/types.ts";

type Env = Record<string, string | undefined>;

/** `parse` and `errorOf` for configuration text, as if read from `file`. */
export function configAt(file: string) {
  const parse = (text: string, env: Env = {}, format?: "yaml" | "json"): SophiaConfig =>
    parseConfigText(text, { file, env, ...(format === undefined ? {} : { format }) });
  const errorOf = (text: string, env: Env = {}): ConfigError => {
    try {
      parse(text, env);
    } catch (error) {
      assert.ok(error instanceof ConfigError, String(error));
      return error;
    }
    return assert.fail("expected a ConfigError");
  };
  return { parse, errorOf };
}
