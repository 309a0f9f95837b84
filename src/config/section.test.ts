import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { ConfigError } from "./config-error.ts";
import { parseConfigText } from "./parse.ts";
import { validateSection } from "./section.ts";

const TEXT = `servers: {}
flows:
  orders:
    batch: lots
    url: \${HOOK}
`;

const schema = z.record(z.string(), z.strictObject({ batch: z.number(), url: z.number() }));

test("validateSection reports a part's own schema errors at file:line:col", () => {
  const config = parseConfigText(TEXT, { file: "sophia.yaml", env: { HOOK: "s3cret" } });
  const error = (() => {
    try {
      validateSection(config, ["flows"], config.flows, schema);
    } catch (caught) {
      return caught;
    }
  })();
  assert.ok(error instanceof ConfigError);
  assert.match(error.message, /sophia\.yaml:4:5: flows\.orders\.batch: expected a number/);
  assert.match(error.message, /sophia\.yaml:5:5: flows\.orders\.url: expected a number/);
  assert.doesNotMatch(error.message, /s3cret/, "a value from the environment is never echoed");
});

test("validateSection returns the parsed value when it is valid", () => {
  const config = parseConfigText("servers: {}\nflows: { a: { batch: 1, url: 2 } }\n", {
    file: "sophia.yaml",
    env: {},
  });
  assert.deepEqual(validateSection(config, ["flows"], config.flows, schema), {
    a: { batch: 1, url: 2 },
  });
});
