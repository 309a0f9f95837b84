import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, parseConfigText } from "../../config/index.ts";
import { isSophiaError } from "../../shared/errors.ts";
import { oneLineFlow } from "./one-line.ts";
import { readFlows, selectFlows } from "./read-flows.ts";

function flowsOf(text: string, env: Record<string, string> = {}) {
  return readFlows(parseConfigText(text, { file: "sophia.yaml", env }));
}

const MINIMAL = `flows:
  tickets:
    source:
      postgres: \${DATABASE_URL}
      tables: [public.tickets, { table: public.users, columns: [id, name], where: "active" }]
    sinks:
      hook: { webhook: { url: "http://127.0.0.1:9/x" } }
`;

test("a minimal flow gets the documented defaults", () => {
  const [flow] = flowsOf(MINIMAL, { DATABASE_URL: "postgres://u@h/db" });
  assert.ok(flow);
  assert.equal(flow.source.slot, "sophia_tickets");
  assert.equal(flow.source.publication, "sophia_tickets");
  assert.deepEqual(flow.source.tables, [
    { table: "public.tickets" },
    { table: "public.users", columns: ["id", "name"], where: "active" },
  ]);
  assert.deepEqual(flow.batch, { size: 1000, maxWaitMs: 20 });
  assert.equal(flow.heartbeatMs, 10_000);
  assert.deepEqual(flow.walBudget, { maxBytes: undefined, policy: "alert", checkEveryMs: 5000 });
  assert.deepEqual(flow.state, {
    kind: "postgres",
    connectionString: "postgres://u@h/db",
    schema: "sophia_flow",
  });
  assert.deepEqual(flow.sinks, [
    {
      name: "hook",
      kind: "webhook",
      options: { url: "http://127.0.0.1:9/x" },
      path: ["flows", "tickets", "sinks", "hook", "webhook"],
    },
  ]);
});

test("durations, sizes, a file state and a dashed flow name", () => {
  const [flow] = flowsOf(`flows:
  my-flow:
    source: { postgres: "postgres://h/db", tables: [a.b], slot: custom }
    transforms: [ { filter: { where: "x" } } ]
    sinks: { s: { pgvector: {} } }
    batch: { size: 50, maxWait: 5ms }
    heartbeat: 1m
    walBudget: { max: 10GB, policy: pause }
    state: { dir: ./state }
`);
  assert.ok(flow);
  assert.equal(flow.source.slot, "custom");
  assert.equal(flow.source.publication, "sophia_my_flow");
  assert.deepEqual(flow.batch, { size: 50, maxWaitMs: 5 });
  assert.equal(flow.heartbeatMs, 60_000);
  assert.equal(flow.walBudget.maxBytes, 10 * 1024 ** 3);
  assert.equal(flow.walBudget.policy, "pause");
  assert.deepEqual(flow.state, { kind: "file", dir: "./state" });
  assert.deepEqual(flow.transforms[0]?.path, ["flows", "my-flow", "transforms", 0, "filter"]);
});

test("mistakes are reported at file:line:col", () => {
  const error = (() => {
    try {
      flowsOf(`flows:
  t:
    source: { postgres: "mysql://x", tables: [tickets] }
    sinks: {}
    batch: { maxWait: soon }
`);
    } catch (caught) {
      return caught;
    }
  })();
  assert.ok(error instanceof ConfigError);
  assert.match(
    error.message,
    /sophia\.yaml:3:\d+: flows\.t\.source\.postgres: expected a postgres/,
  );
  assert.match(error.message, /flows\.t\.source\.tables\[0\]: expected "schema\.table"/);
  assert.match(error.message, /flows\.t\.sinks: configure at least one sink/);
  assert.match(error.message, /sophia\.yaml:5:\d+: flows\.t\.batch\.maxWait: expected a duration/);
});

test("selectFlows names the configured flows when one is unknown", () => {
  const flows = flowsOf(MINIMAL, { DATABASE_URL: "postgres://h/db" });
  assert.equal(selectFlows(flows, []).length, 1);
  assert.throws(
    () => selectFlows(flows, ["nope"]),
    (error) => isSophiaError(error, "USAGE") && error.hint === "configured flows: tickets",
  );
});

test("the one-line form builds a webhook flow and rejects a bad table", () => {
  const flow = oneLineFlow({
    name: "cli",
    source: "postgres://h/db",
    tables: ["public.t"],
    webhook: "http://127.0.0.1:1/h",
    secret: "s",
    stateDir: undefined,
  });
  assert.equal(flow.source.slot, "sophia_cli");
  assert.deepEqual(flow.sinks[0]?.options, { url: "http://127.0.0.1:1/h", secret: "s" });
  assert.throws(
    () =>
      oneLineFlow({
        ...flow,
        name: "cli",
        source: "postgres://h/db",
        tables: ["t"],
        webhook: "x",
        secret: undefined,
        stateDir: undefined,
      }),
    (error) => isSophiaError(error, "USAGE") && /source\.tables\.0/.test(error.message),
  );
});

test("backfill: per table, or every table with snapshot: initial", () => {
  const [some] = flowsOf(`flows:
  f:
    source:
      postgres: "postgres://h/db"
      tables: [a.one, { table: a.two, backfill: true }, { table: a.three, backfill: false }]
    sinks: { s: { webhook: { url: "http://127.0.0.1:9/x" } } }
`);
  assert.deepEqual(some?.backfill, { tables: ["a.two"], chunkSize: 1000 });
  assert.equal(some?.distributed, undefined);
  const [all] = flowsOf(`flows:
  f:
    source: { postgres: "postgres://h/db", tables: [a.one, a.two], snapshot: initial, backfillChunk: 50 }
    sinks: { s: { webhook: { url: "http://127.0.0.1:9/x" } } }
`);
  assert.deepEqual(all?.backfill, { tables: ["a.one", "a.two"], chunkSize: 50 });
});

test("distributed: defaults named after the flow, and a bad subject prefix is pointed at", () => {
  const [flow] = flowsOf(`flows:
  my-flow:
    source: { postgres: "postgres://h/db", tables: [a.b] }
    sinks: { s: { webhook: { url: "http://127.0.0.1:9/x" } } }
    distributed: { nats: "nats://127.0.0.1:4222" }
`);
  assert.deepEqual(flow?.distributed, {
    servers: ["nats://127.0.0.1:4222"],
    stream: "SOPHIA_MY_FLOW",
    subjectPrefix: "sophia.my-flow",
    maxAckPending: 500,
    ackWaitMs: 30_000,
    standbyPollMs: 1000,
  });
  assert.throws(
    () =>
      flowsOf(`flows:
  f:
    source: { postgres: "postgres://h/db", tables: [a.b] }
    sinks: { s: { webhook: { url: "http://127.0.0.1:9/x" } } }
    distributed: { nats: "nats://x", subjectPrefix: "a..b" }
`),
    (error: unknown) => error instanceof ConfigError && /subjectPrefix/.test(error.message),
  );
});
