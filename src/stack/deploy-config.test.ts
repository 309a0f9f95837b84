import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, parseConfigText } from "../config/index.ts";
import { stackModel } from "./deploy-config.ts";

function model(text: string, variables: string[] = []) {
  const config = parseConfigText(text, { file: "sophia.yaml", env: { URL: "postgres://x" } });
  return stackModel(config, { source: "sophia.yaml", variables });
}

test("an empty deploy section gets every default", () => {
  const m = model("servers: {}\n");
  assert.equal(m.name, "sophia");
  assert.equal(m.image, "ghcr.io/your-org/sophia");
  assert.equal(m.registry, "ghcr.io");
  assert.match(m.nodeImage, /^24\.\d+\.\d+-[a-z]+-slim$/);
  assert.deepEqual(m.gateway, { port: 8080, replicas: 2 });
  assert.equal(m.domain, "sophia.localhost");
  assert.deepEqual(m.services, { postgres: false, redis: true, nats: false });
  assert.equal(m.flow.enabled, false);
  assert.equal(m.n8n.enabled, false);
  assert.deepEqual(m.secrets, ["redis_password"]);
  assert.deepEqual(m.platforms, ["linux/amd64", "linux/arm64"]);
});

test("flows, their sinks and builtins decide the data services", () => {
  const m = model(`servers: {}
flows:
  a:
    source: { postgres: "\${URL}" }
    sinks: { out: { nats: { subject: x } }, hook: { webhook: { url: "http://n8n:5678/webhook/a" } } }
`);
  assert.deepEqual(m.services, { postgres: true, redis: true, nats: true });
  assert.equal(m.flow.enabled, true);
  assert.equal(m.n8n.enabled, true, "a webhook to n8n brings n8n");
  const knowledge = model("servers: { k: { builtin: knowledge } }\n");
  assert.equal(knowledge.services.postgres, true);
  assert.equal(knowledge.flow.enabled, false);
});

test("deploy settings override the defaults; secrets are sorted and unique", () => {
  const m = model(
    `servers: {}
deploy:
  name: acme
  owner: acme-org
  replicas: "3"
  n8n: { workers: 4 }
  distributed: true
  secrets: [extra_key]
  pythonServers: [{ name: zeta, port: 9000 }, { name: alpha }]
`,
    ["SEARCH_TOKEN", "EXTRA_KEY"],
  );
  assert.equal(m.image, "ghcr.io/acme-org/acme");
  assert.equal(m.gateway.replicas, 3);
  assert.deepEqual(m.n8n.workers, 4);
  assert.equal(m.services.nats, true);
  assert.deepEqual(
    m.pythonServers.map((s) => [s.name, s.path, s.port]),
    [
      ["alpha", "servers/alpha", 8000],
      ["zeta", "servers/zeta", 9000],
    ],
  );
  assert.deepEqual(m.secrets, [
    "extra_key",
    "n8n_encryption_key",
    "n8n_runners_auth_token",
    "postgres_password",
    "redis_password",
    "search_token",
  ]);
});

test("a wrong deploy value is reported at its file:line:col", () => {
  const text = "servers: {}\ndeploy:\n  replicas: many\n  nodeImage: latest\n  bogus: 1\n";
  assert.throws(
    () => model(text),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /sophia\.yaml:3:\d+: deploy\.replicas/);
      assert.match(
        error.message,
        /sophia\.yaml:4:\d+: deploy\.nodeImage: expected a pinned Node 24 slim tag/,
      );
      assert.match(error.message, /deploy\.bogus/);
      return true;
    },
  );
});
