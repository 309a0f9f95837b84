/**
 * The conformance stage of `npm test`: runs every server scenario of the MCP
 * conformance suite through Sophia's pass-through endpoint
 * `/servers/<fixture>/mcp`, once with the fixture as a stdio upstream and once
 * as a streamable HTTP upstream. Scenarios that cannot pass through the
 * gateway are listed in test/conformance-expected-failures.json with the
 * reason (and in README.md). Ends with "conformance: N passed, M failed".
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadConfig } from "../src/config/index.ts";
import { Gateway } from "../src/gateway/index.ts";
import { createLogger } from "../src/shared/logger.ts";
import { startHttpFixture } from "../test/fixtures/conformance-server.ts";
import { formatResult, loadExpectedFailures, runConformance } from "./conformance.ts";

const root = resolve(import.meta.dirname, "..");
const expectedFile = join(root, "test/conformance-expected-failures.json");

async function main(): Promise<number> {
  const fixture = await startHttpFixture();
  const dir = await mkdtemp(join(tmpdir(), "sophia-conformance-"));
  const file = join(dir, "mcp.json");
  await writeFile(
    file,
    JSON.stringify({
      mcpServers: {
        fixture: {
          command: join(root, "node_modules/.bin/node"),
          args: [join(root, "test/fixtures/conformance-server.ts"), "--stdio"],
        },
        "fixture-http": { url: fixture.url },
      },
    }),
  );
  const config = await loadConfig({ file, cwd: root, env: process.env });
  const gateway = new Gateway({
    config,
    logger: createLogger({ level: process.env.SOPHIA_LOG_LEVEL ?? "warn" }),
  });
  const expectedFailures = existsSync(expectedFile)
    ? await loadExpectedFailures(expectedFile)
    : new Map<string, string>();
  let passed = 0;
  let failed = 0;
  try {
    const base = await gateway.listen("127.0.0.1", 0);
    for (const server of ["fixture", "fixture-http"]) {
      const url = `${base}/servers/${server}/mcp`;
      console.log(`\nconformance through ${url}`);
      const summary = await runConformance({
        url,
        expectedFailures,
        onResult: (r) => console.log(`  ${formatResult(r)}`),
      });
      passed += summary.passed;
      failed += summary.failed;
    }
  } finally {
    await gateway.stop();
    await fixture.close();
    await rm(dir, { recursive: true, force: true });
  }
  console.log(`conformance: ${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main();
