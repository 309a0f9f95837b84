import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { MemoryUpstream, toolList } from "../../../test/support/memory-upstream.ts";
import { silentLogger } from "../../shared/logger.ts";
import { Catalog } from "./catalog.ts";

function catalogWith(...upstreams: MemoryUpstream[]): Catalog {
  const catalog = new Catalog({ separator: "__", logger: silentLogger() });
  for (const u of upstreams) catalog.add(u);
  return catalog;
}

describe("Catalog", () => {
  test("merges tools from every server, namespaced, sorted by server then name", async () => {
    const b = new MemoryUpstream("beta").on("tools/list", toolList("zeta", "alpha"));
    const a = new MemoryUpstream("alpha").on("tools/list", toolList("run"));
    const catalog = catalogWith(b, a);
    await catalog.ensure("tools");
    assert.deepEqual(
      catalog.list("tools").map((t) => t.name),
      ["alpha__run", "beta__alpha", "beta__zeta"],
    );
    assert.equal(catalog.resolveTool("beta__zeta")?.name, "zeta");
    assert.equal(catalog.resolveTool("beta__zeta")?.upstream, b);
  });

  test("follows pagination cursors", async () => {
    const u = new MemoryUpstream("paged").on("tools/list", (params) =>
      params?.cursor === "2"
        ? { result: { tools: [{ name: "second", inputSchema: {} }] } }
        : { result: { tools: [{ name: "first", inputSchema: {} }], nextCursor: "2" } },
    );
    const catalog = catalogWith(u);
    await catalog.ensure("tools");
    assert.deepEqual(
      catalog.list("tools").map((t) => t.name),
      ["paged__first", "paged__second"],
    );
  });

  test("a failing server is reported as missing while the others are listed", async () => {
    const ok = new MemoryUpstream("ok").on("tools/list", toolList("t"));
    const bad = new MemoryUpstream("bad").on("tools/list", () => ({
      error: { code: -32603, message: "boom" },
    }));
    const catalog = catalogWith(ok, bad);
    await catalog.ensure("tools");
    assert.deepEqual(
      catalog.list("tools").map((t) => t.name),
      ["ok__t"],
    );
    assert.equal(catalog.failures("tools")[0]?.server, "bad");
    assert.match(catalog.failures("tools")[0]?.error ?? "", /boom/);
  });

  test("skips servers that do not offer the capability or are not ready", async () => {
    const noTools = new MemoryUpstream("plain", { prompts: {} }).on("tools/list", toolList("x"));
    const down = new MemoryUpstream("down").on("tools/list", toolList("y"));
    down.state = "down";
    const catalog = catalogWith(noTools, down);
    await catalog.ensure("tools");
    assert.equal(catalog.list("tools").length, 0);
    assert.equal(noTools.calls.length + down.calls.length, 0);
  });

  test("routes resource URIs exactly, then by template", async () => {
    const files = new MemoryUpstream("files")
      .on("resources/list", () => ({
        result: { resources: [{ uri: "file:///a.txt", name: "a" }] },
      }))
      .on("resources/templates/list", () => ({
        result: { resourceTemplates: [{ uriTemplate: "file:///logs/{day}", name: "log" }] },
      }));
    const db = new MemoryUpstream("db").on("resources/templates/list", () => ({
      result: { resourceTemplates: [{ uriTemplate: "db://{table}/{id}", name: "row" }] },
    }));
    const catalog = catalogWith(files, db);
    await Promise.all([catalog.ensure("resources"), catalog.ensure("resourceTemplates")]);
    assert.equal(catalog.resolveResource("file:///a.txt"), files);
    assert.equal(catalog.resolveResource("file:///logs/monday"), files);
    assert.equal(catalog.resolveResource("db://users/7"), db);
    assert.equal(catalog.resolveResource("s3://nothing"), undefined);
  });

  test("announces a refreshed list only when it really changed", async () => {
    let names = ["one"];
    const u = new MemoryUpstream("svc").on("tools/list", () =>
      toolList(...names)(undefined, undefined),
    );
    const catalog = catalogWith(u);
    const changes: string[] = [];
    catalog.onChange((kind, server) => changes.push(`${server}:${kind}`));
    await catalog.refresh("svc", ["tools"]);
    await catalog.refresh("svc", ["tools"]);
    names = ["one", "two"];
    await catalog.refresh("svc", ["tools"]);
    assert.deepEqual(changes, ["svc:tools", "svc:tools"]);
    assert.equal(catalog.resolveTool("svc__two")?.name, "two");
  });

  test("falls back to the prefix for a tool not listed yet", () => {
    const u = new MemoryUpstream("svc");
    const catalog = catalogWith(u);
    assert.deepEqual(catalog.resolveTool("svc__brand_new"), { upstream: u, name: "brand_new" });
    assert.equal(catalog.resolveTool("other__x"), undefined);
  });
});
