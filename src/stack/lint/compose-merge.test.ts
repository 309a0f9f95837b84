import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { mergeCompose, mergeComposeFiles } from "./compose-merge.ts";
import { OverrideValue, ResetValue } from "./compose-tags.ts";

const svc = (doc: unknown, name = "web") =>
  (doc as { services: Record<string, Record<string, unknown>> }).services[name];

describe("mergeCompose: the specification's cases", () => {
  it("merges mappings key by key, the later file winning", () => {
    const merged = mergeCompose(
      { services: { web: { key1: "value1", key2: "value2" } } },
      { services: { web: { key2: "VALUE", key3: "value3" } } },
    );
    assert.deepEqual(svc(merged), { key1: "value1", key2: "VALUE", key3: "value3" });
  });

  it("appends plain sequences without repeating values (dns)", () => {
    const merged = mergeCompose(
      { services: { web: { dns: ["1.1.1.1"] } } },
      { services: { web: { dns: ["8.8.8.8", "1.1.1.1"] } } },
    );
    assert.deepEqual(svc(merged)?.dns, ["1.1.1.1", "8.8.8.8"]);
  });

  it("turns a single dns string into a list when merged", () => {
    const merged = mergeCompose(
      { services: { web: { dns: "1.1.1.1" } } },
      { services: { web: { dns: ["8.8.8.8"] } } },
    );
    assert.deepEqual(svc(merged)?.dns, ["1.1.1.1", "8.8.8.8"]);
  });

  it("replaces command, entrypoint and healthcheck.test", () => {
    const merged = mergeCompose(
      {
        services: {
          web: {
            command: ["echo", "foo"],
            entrypoint: ["sh", "-c"],
            healthcheck: { test: ["CMD", "a"], interval: "5s" },
          },
        },
      },
      {
        services: {
          web: {
            command: ["echo", "bar"],
            entrypoint: "tini",
            healthcheck: { test: ["CMD", "b"] },
          },
        },
      },
    );
    assert.deepEqual(svc(merged)?.command, ["echo", "bar"]);
    assert.equal(svc(merged)?.entrypoint, "tini");
    assert.deepEqual(svc(merged)?.healthcheck, { test: ["CMD", "b"], interval: "5s" });
  });

  it("merges volumes by target", () => {
    const merged = mergeCompose(
      { services: { web: { volumes: ["foo:/work", "./original:/bar", "/anon"] } } },
      {
        services: {
          web: { volumes: ["bar:/work", { type: "bind", source: "./x", target: "/baz" }] },
        },
      },
    );
    assert.deepEqual(svc(merged)?.volumes, [
      "bar:/work",
      "./original:/bar",
      "/anon",
      { type: "bind", source: "./x", target: "/baz" },
    ]);
  });

  it("merges long-form volume entries with the same target as mappings", () => {
    const merged = mergeCompose(
      { services: { web: { volumes: [{ type: "volume", source: "a", target: "/d" }] } } },
      { services: { web: { volumes: [{ target: "/d", read_only: true }] } } },
    );
    assert.deepEqual(svc(merged)?.volumes, [
      { type: "volume", source: "a", target: "/d", read_only: true },
    ]);
  });

  it("merges ports by ip, target, published and protocol", () => {
    const merged = mergeCompose(
      { services: { web: { ports: ["8080:80", "127.0.0.1:9090:90", "53:53/udp"] } } },
      {
        services: {
          web: {
            ports: [
              "8080:80",
              "53:53",
              { target: 90, published: 9090, host_ip: "127.0.0.1", mode: "host" },
            ],
          },
        },
      },
    );
    assert.deepEqual(svc(merged)?.ports, [
      "8080:80",
      { target: 90, published: 9090, host_ip: "127.0.0.1", mode: "host" },
      "53:53/udp",
      "53:53",
    ]);
  });

  it("merges secrets and configs by target (short names mount under /run/secrets and /)", () => {
    const merged = mergeCompose(
      { services: { web: { secrets: ["db"], configs: ["app"] } } },
      {
        services: {
          web: {
            secrets: [{ source: "db", target: "/run/secrets/db", mode: 0o400 }, "api"],
            configs: [{ source: "app", target: "/app" }],
          },
        },
      },
    );
    assert.deepEqual(svc(merged)?.secrets, [
      { source: "db", target: "/run/secrets/db", mode: 0o400 },
      "api",
    ]);
    assert.deepEqual(svc(merged)?.configs, [{ source: "app", target: "/app" }]);
  });

  it("merges devices by container path", () => {
    const merged = mergeCompose(
      { services: { web: { devices: ["/dev/a:/dev/x", "/dev/y"] } } },
      { services: { web: { devices: ["/dev/b:/dev/x:r"] } } },
    );
    assert.deepEqual(svc(merged)?.devices, ["/dev/b:/dev/x:r", "/dev/y"]);
  });

  it("merges environment given as a list and as a mapping, name by name", () => {
    const merged = mergeCompose(
      { services: { web: { environment: ["FOO=original", "BAR=original", "ONLY"] } } },
      { services: { web: { environment: { BAR: "local", BAZ: "local" } } } },
    );
    assert.deepEqual(svc(merged)?.environment, {
      FOO: "original",
      BAR: "local",
      BAZ: "local",
      ONLY: null,
    });
  });

  it("merges labels, extra_hosts and build args as mappings", () => {
    const merged = mergeCompose(
      {
        services: {
          web: {
            labels: ["a=1"],
            extra_hosts: ["db:10.0.0.1", "cache=10.0.0.2"],
            build: "./web",
          },
        },
      },
      {
        services: {
          web: {
            labels: { b: "2" },
            extra_hosts: ["db:10.0.0.9", "v6:::1"],
            build: { args: ["X=1"], dockerfile: "Dockerfile.prod" },
          },
        },
      },
    );
    assert.deepEqual(svc(merged)?.labels, { a: "1", b: "2" });
    assert.deepEqual(svc(merged)?.extra_hosts, { db: "10.0.0.9", cache: "10.0.0.2", v6: "::1" });
    assert.deepEqual(svc(merged)?.build, {
      context: "./web",
      args: ["X=1"],
      dockerfile: "Dockerfile.prod",
    });
  });

  it("merges depends_on in short and long form by service name", () => {
    const merged = mergeCompose(
      { services: { web: { depends_on: { db: { condition: "service_healthy" } } } } },
      { services: { web: { depends_on: ["db", "cache"] } } },
    );
    assert.deepEqual(svc(merged)?.depends_on, {
      db: { condition: "service_healthy" },
      cache: null,
    });
    const lists = mergeCompose(
      { services: { web: { depends_on: ["db"] } } },
      { services: { web: { depends_on: ["cache", "db"] } } },
    );
    assert.deepEqual(svc(lists)?.depends_on, ["db", "cache"]);
  });

  it("adds services and top-level resources of the override", () => {
    const merged = mergeCompose(
      { services: { web: { image: "a:1" } }, volumes: { data: {} } },
      { services: { worker: { image: "b:1" } }, volumes: { data: { driver: "local" } } },
    );
    assert.deepEqual(merged, {
      services: { web: { image: "a:1" }, worker: { image: "b:1" } },
      volumes: { data: { driver: "local" } },
    });
  });

  it("removes a key tagged !reset, also inside environment", () => {
    const merged = mergeCompose(
      { services: { app: { image: "myapp", ports: ["8080:80"], environment: { FOO: "BAR" } } } },
      {
        services: {
          app: { image: "myapp", ports: new ResetValue(), environment: { FOO: new ResetValue() } },
        },
      },
    );
    assert.deepEqual(merged, { services: { app: { image: "myapp", environment: {} } } });
  });

  it("replaces a value tagged !override without merging", () => {
    const merged = mergeCompose(
      { services: { app: { image: "myapp", ports: ["8080:80"] } } },
      { services: { app: { ports: new OverrideValue(["8443:443"]) } } },
    );
    assert.deepEqual(svc(merged, "app")?.ports, ["8443:443"]);
  });

  it("resolves tags in the first file and never changes its inputs", () => {
    const base = { services: { a: { ports: ["1:1"], x: new ResetValue() } } };
    const override = { services: { a: { ports: ["2:2"] } } };
    const copy = structuredClone(override);
    const merged = mergeComposeFiles([base, override]);
    assert.deepEqual(merged, { services: { a: { ports: ["1:1", "2:2"] } } });
    assert.deepEqual(override, copy);
    assert.deepEqual(base.services.a.ports, ["1:1"]);
  });

  it("keeps a __proto__ key as plain data", () => {
    const merged = mergeCompose(JSON.parse('{"x-a": {"__proto__": {"p": 1}}}'), {});
    assert.equal(Object.getPrototypeOf(merged["x-a"]), Object.prototype);
    assert.deepEqual(Object.keys(merged["x-a"] as object), ["__proto__"]);
  });
});

const rec = <T extends object>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }) =>
  fc.record(model, { noNullPrototype: true });

// Tag-free Compose documents with each attribute in one syntax, unique entries per file.
const name = fc.constantFrom("web", "db", "cache");
const word = fc.constantFrom("a", "b", "c", "d");
const service = fc.record(
  {
    image: fc.constantFrom("nginx:1.27", "redis:7", "app:2"),
    command: fc.array(word, { maxLength: 3 }),
    ports: fc.uniqueArray(fc.constantFrom("8080:80", "127.0.0.1:8080:80", "9090:90", "53:53/udp"), {
      maxLength: 3,
    }),
    volumes: fc.uniqueArray(fc.constantFrom("a:/data", "b:/data", "c:/logs", "/tmp"), {
      maxLength: 3,
      selector: (v) => v.split(":").at(-1),
    }),
    environment: fc.oneof(
      fc.dictionary(fc.constantFrom("A", "B", "C"), word, { noNullPrototype: true }),
      fc.uniqueArray(fc.constantFrom("A=1", "B=2", "C=3", "A=9"), {
        selector: (v) => v.split("=")[0],
      }),
    ),
    dns: fc.uniqueArray(fc.constantFrom("1.1.1.1", "8.8.8.8", "9.9.9.9")),
    depends_on: fc.uniqueArray(name),
    healthcheck: fc.record(
      { test: fc.array(word, { maxLength: 2 }), interval: word },
      { requiredKeys: [], noNullPrototype: true },
    ),
    deploy: rec({ resources: rec({ limits: rec({ memory: word }) }) }),
    "x-tags": fc.array(word, { maxLength: 2 }),
  },
  { requiredKeys: [], noNullPrototype: true },
);
const document = fc.record(
  {
    name: word,
    services: fc.dictionary(name, service, { noNullPrototype: true }),
    volumes: fc.dictionary(
      word,
      fc.record({ driver: word }, { requiredKeys: [], noNullPrototype: true }),
      { noNullPrototype: true },
    ),
  },
  { requiredKeys: [], noNullPrototype: true },
);

describe("mergeCompose: properties", () => {
  it("merging with an empty file (either side) gives the document back", () => {
    fc.assert(
      fc.property(document, (doc) => {
        assert.deepEqual(mergeCompose(doc, {}), doc);
        assert.deepEqual(mergeCompose({}, doc), doc);
      }),
    );
  });

  it("is associative: (a + b) + c equals a + (b + c)", () => {
    fc.assert(
      fc.property(document, document, document, (a, b, c) => {
        assert.deepEqual(mergeCompose(mergeCompose(a, b), c), mergeCompose(a, mergeCompose(b, c)));
      }),
      { numRuns: 300 },
    );
  });

  it("is idempotent for a file merged onto itself (no duplicated entries)", () => {
    fc.assert(
      fc.property(document, (doc) => {
        const once = mergeCompose({}, doc);
        const twice = mergeCompose(once, doc);
        for (const [serviceName, body] of Object.entries(once.services ?? {})) {
          const again = svc(twice, serviceName) ?? {};
          const first = body as Record<string, unknown>;
          for (const key of ["ports", "volumes", "dns", "depends_on"]) {
            assert.deepEqual(again[key], first[key], key);
          }
        }
      }),
    );
  });
});
