/**
 * test.yml: the project's `npm test` with real PostgreSQL (wal_level=logical,
 * pgvector), Redis and NATS JetStream, and each Python server's tests with uv.
 * PostgreSQL and NATS need server arguments, which service containers cannot
 * pass, so they are started with `docker run`.
 */

import { gh } from "../../expressions.ts";
import { IMAGES } from "../../images.ts";
import type { GeneratedFile, StackModel } from "../../model.ts";
import { yamlFile } from "../../serialize.ts";
import { ACTIONS, nodeMajor } from "./actions.ts";

const START_SERVICES = [
  `docker run -d --name postgres -p 127.0.0.1:5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust ${IMAGES.postgres} -c wal_level=logical`,
  `docker run -d --name nats -p 127.0.0.1:4222:4222 ${IMAGES.nats} -js`,
  `docker run -d --name redis -p 127.0.0.1:6379:6379 ${IMAGES.redis}`,
  "for i in $(seq 1 30); do docker exec postgres pg_isready -U postgres && break; sleep 2; done",
].join("\n");

function nodeJob(model: StackModel): unknown {
  return {
    "runs-on": "ubuntu-latest",
    "timeout-minutes": 45,
    env: {
      SOPHIA_DEPS_READY: "1",
      SOPHIA_TEST_PG_URL: "postgres://postgres@127.0.0.1:5432/postgres",
      SOPHIA_TEST_REDIS_URL: "redis://127.0.0.1:6379",
      SOPHIA_TEST_NATS_URL: "nats://127.0.0.1:4222",
    },
    steps: [
      { uses: ACTIONS.checkout },
      {
        uses: ACTIONS.setupNode,
        with: { "node-version": nodeMajor(model.nodeImage), cache: "npm" },
      },
      { name: "Start PostgreSQL, NATS and Redis", run: START_SERVICES },
      { run: "npm ci" },
      { run: "npm test" },
    ],
  };
}

function pythonJob(path: string): unknown {
  return {
    "runs-on": "ubuntu-latest",
    "timeout-minutes": 15,
    defaults: { run: { "working-directory": path } },
    steps: [
      { uses: ACTIONS.checkout },
      { uses: ACTIONS.setupUv, with: { "enable-cache": true } },
      // Creates uv.lock on the first run; commit it so image builds are reproducible.
      { run: "uv lock" },
      { run: "uv sync --locked" },
      { run: "uv run --locked pytest" },
    ],
  };
}

export function testWorkflow(model: StackModel): GeneratedFile {
  const jobs: Record<string, unknown> = { test: nodeJob(model) };
  for (const server of model.pythonServers) jobs[`server-${server.name}`] = pythonJob(server.path);
  const workflow = {
    name: "test",
    on: { push: { branches: ["main"] }, pull_request: {} },
    permissions: { contents: "read" },
    concurrency: { group: `test-${gh("github.ref")}`, "cancel-in-progress": true },
    jobs,
  };
  return { path: ".github/workflows/test.yml", content: yamlFile(model.source, workflow) };
}
