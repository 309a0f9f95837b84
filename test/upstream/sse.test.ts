import { createUpstream } from "../../src/gateway/upstream/create-upstream.ts";
import { upstreamScenarios } from "./scenarios.ts";
import { HttpFixture, httpConfig } from "./support.ts";

let fixture: HttpFixture;

upstreamScenarios({
  label: "legacy HTTP+SSE upstream",
  setup: async () => {
    fixture = await HttpFixture.start();
  },
  teardown: async () => fixture.stop(),
  create: (logger, overrides) =>
    createUpstream(
      "fx",
      httpConfig(fixture.url("/sse"), { transport: "sse", ...overrides }),
      logger,
    ),
  revive: async () => {
    await fixture.exited();
    fixture = await HttpFixture.start({ port: fixture.port });
  },
});
