import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { MemoryUpstream, toolList } from "../../../test/support/memory-upstream.ts";
import { silentLogger } from "../../shared/logger.ts";
import { Catalog } from "../catalog/catalog.ts";
import type { JsonRpcMessage } from "../jsonrpc/messages.ts";
import { type Scope, Session } from "../session/session.ts";
import {
  honoredFilter,
  type Listener,
  type ListenFilter,
  ListenHub,
  parseFilter,
} from "./listen-hub.ts";

function listener(id: string, scope: Scope, filter: ListenFilter, subscribed: string[] = []) {
  const session = new Session(id, scope, {
    protocolVersion: "2026-07-28",
    capabilities: {},
    clientInfo: undefined,
  });
  for (const uri of subscribed) session.subscriptions.add(uri);
  const sent: JsonRpcMessage[] = [];
  let closed = false;
  const entry: Listener = {
    id,
    session,
    filter,
    stream: {
      send: (m) => void sent.push(m),
      close: () => {
        closed = true;
      },
    },
  };
  return { entry, sent, closed: () => closed };
}

const methods = (sent: JsonRpcMessage[]) => sent.map((m) => ("method" in m ? m.method : "result"));

describe("ListenHub: subscriptions/listen delivery", () => {
  test("aggregate streams hear catalog changes they asked for, stamped with their subscription id", async () => {
    const files = new MemoryUpstream("files").on("tools/list", toolList("read"));
    const catalog = new Catalog({ separator: "__", logger: silentLogger() });
    catalog.add(files);
    const hub = new ListenHub(catalog, [files]);
    const wants = listener("listen:0", { kind: "aggregate" }, { toolsListChanged: true });
    const other = listener("listen:1", { kind: "aggregate" }, { promptsListChanged: true });
    hub.add(wants.entry);
    hub.add(other.entry);
    await catalog.refresh("files", ["tools"]);
    assert.deepEqual(wants.sent, [
      {
        jsonrpc: "2.0",
        method: "notifications/tools/list_changed",
        params: { _meta: { "io.modelcontextprotocol/subscriptionId": "listen:0" } },
      },
    ]);
    assert.equal(other.sent.length, 0);
  });

  test("resource updates reach only streams holding that URI; server streams hear their upstream's list changes", () => {
    const files = new MemoryUpstream("files");
    const mail = new MemoryUpstream("mail");
    const hub = new ListenHub(new Catalog({ separator: "__", logger: silentLogger() }), [
      files,
      mail,
    ]);
    const holder = listener("a", { kind: "aggregate" }, { resourceSubscriptions: ["file:///x"] }, [
      "file:///x",
    ]);
    const passthrough = listener(
      "b",
      { kind: "server", upstream: files },
      { toolsListChanged: true },
    );
    hub.add(holder.entry);
    hub.add(passthrough.entry);
    files.emit({
      jsonrpc: "2.0",
      method: "notifications/resources/updated",
      params: { uri: "file:///x" },
    });
    files.emit({
      jsonrpc: "2.0",
      method: "notifications/resources/updated",
      params: { uri: "file:///y" },
    });
    mail.emit({ jsonrpc: "2.0", method: "notifications/tools/list_changed" });
    files.emit({ jsonrpc: "2.0", method: "notifications/tools/list_changed" });
    assert.deepEqual(methods(holder.sent), ["notifications/resources/updated"]);
    assert.deepEqual(methods(passthrough.sent), ["notifications/tools/list_changed"]);
  });

  test("closing ends each stream with the listen request's empty result, once", () => {
    const hub = new ListenHub(new Catalog({ separator: "__", logger: silentLogger() }), []);
    const one = listener("listen:7", { kind: "aggregate" }, { toolsListChanged: true });
    hub.add(one.entry);
    hub.closeAll(() => ({ name: "sophia", version: "0" }));
    hub.closeAll(() => ({ name: "sophia", version: "0" }));
    assert.deepEqual(one.sent, [
      {
        jsonrpc: "2.0",
        id: "listen:7",
        result: {
          resultType: "complete",
          _meta: {
            "io.modelcontextprotocol/subscriptionId": "listen:7",
            "io.modelcontextprotocol/serverInfo": { name: "sophia", version: "0" },
          },
        },
      },
    ]);
    assert.equal(one.closed(), true);
    assert.equal(hub.size, 0);
  });

  test("filters are validated, and honored only where the capabilities offer them", () => {
    assert.equal(parseFilter(undefined), undefined);
    assert.equal(parseFilter({ toolsListChanged: "yes" }), undefined);
    assert.equal(parseFilter({ resourceSubscriptions: [1] }), undefined);
    const requested = {
      toolsListChanged: true,
      promptsListChanged: true,
      resourcesListChanged: false,
      resourceSubscriptions: ["u", "u"],
    };
    assert.deepEqual(
      honoredFilter(requested, {
        tools: { listChanged: true },
        prompts: {},
        resources: { subscribe: true },
      }),
      {
        toolsListChanged: true,
        resourceSubscriptions: ["u"],
      },
    );
  });
});
