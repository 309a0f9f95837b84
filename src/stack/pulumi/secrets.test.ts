import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { StackModel } from "../model.ts";
import { appSecrets, configKeyOf, secretKeys, stackSecrets } from "./secrets.ts";

function model(
  secrets: string[],
  services = { postgres: true, redis: true, nats: false },
  n8n = true,
): StackModel {
  return {
    secrets,
    services,
    n8n: { enabled: n8n, workers: 1, image: "n8n:1" },
  } as unknown as StackModel;
}

describe("stack secrets", () => {
  it("turns environment names into camelCase config keys", () => {
    assert.equal(configKeyOf("OPENAI_API_KEY"), "openaiApiKey");
    assert.equal(configKeyOf("n8n_encryption_key"), "n8nEncryptionKey");
    assert.equal(configKeyOf("search-token"), "searchToken");
  });

  it("gives config keys that are identifiers", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,30}$/), (name) => {
        assert.match(configKeyOf(name), /^[a-z][A-Za-z0-9]*$/);
      }),
    );
  });

  it("adds what the data services and n8n need, drops URLs the program builds, sorts", () => {
    const names = stackSecrets(model(["search_token", "database_url", "redis_url"]));
    assert.deepEqual(names, [
      "N8N_ENCRYPTION_KEY",
      "POSTGRES_PASSWORD",
      "REDIS_PASSWORD",
      "SEARCH_TOKEN",
    ]);
    assert.deepEqual(
      stackSecrets(model([], { postgres: false, redis: false, nats: true }, false)),
      [],
    );
  });

  it("gives Sophia's processes only their own secrets", () => {
    assert.deepEqual(
      appSecrets(model(["search_token", "n8n_runners_auth_token", "postgres_password"])),
      ["SEARCH_TOKEN"],
    );
  });

  it("maps each secret to its config key", () => {
    assert.deepEqual(
      secretKeys(model(["search_token"], { postgres: false, redis: false, nats: false }, false)),
      {
        SEARCH_TOKEN: "searchToken",
      },
    );
  });
});
