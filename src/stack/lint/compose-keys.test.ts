import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keyedEntryKey, parsePortString, toMapping } from "./compose-keys.ts";

describe("compose keys", () => {
  it("parses every short port syntax", () => {
    assert.deepEqual(parsePortString("80"), {
      ip: "",
      published: "",
      target: "80",
      protocol: "tcp",
    });
    assert.deepEqual(parsePortString("8080:80/udp"), {
      ip: "",
      published: "8080",
      target: "80",
      protocol: "udp",
    });
    assert.deepEqual(parsePortString("127.0.0.1::80"), {
      ip: "127.0.0.1",
      published: "",
      target: "80",
      protocol: "tcp",
    });
    assert.deepEqual(parsePortString("[::1]:8080:80"), {
      ip: "::1",
      published: "8080",
      target: "80",
      protocol: "tcp",
    });
    assert.deepEqual(parsePortString("::1:8080:80"), {
      ip: "::1",
      published: "8080",
      target: "80",
      protocol: "tcp",
    });
  });

  it("gives short and long forms the same key", () => {
    assert.equal(
      keyedEntryKey("ports", "127.0.0.1:8080:80"),
      keyedEntryKey("ports", { host_ip: "127.0.0.1", target: 80, published: "8080" }),
    );
    assert.equal(
      keyedEntryKey("volumes", "data:/var/lib/data:ro"),
      keyedEntryKey("volumes", { source: "x", target: "/var/lib/data" }),
    );
    assert.equal(
      keyedEntryKey("secrets", "db"),
      keyedEntryKey("secrets", { source: "other", target: "db" }),
    );
    assert.equal(
      keyedEntryKey("configs", "app"),
      keyedEntryKey("configs", { source: "app", target: "/app" }),
    );
  });

  it("normalizes lists to mappings", () => {
    assert.deepEqual(toMapping("environment", ["A=1", "B", "C=x=y"]), {
      A: "1",
      B: null,
      C: "x=y",
    });
    assert.deepEqual(toMapping("extra_hosts", ["db:10.0.0.1", "v6=::1"]), {
      db: "10.0.0.1",
      v6: "::1",
    });
  });
});
