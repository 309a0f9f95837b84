import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { argsOf, hasPipe, splitCommands } from "./shell-words.ts";

describe("shell words", () => {
  it("splits at operators and drops leading assignments", () => {
    assert.deepEqual(
      splitCommands(
        "DEBIAN_FRONTEND=noninteractive apt-get install -y 'curl' && rm -rf x; echo a | tee b",
      ),
      [
        ["apt-get", "install", "-y", "curl"],
        ["rm", "-rf", "x"],
        ["echo", "a"],
        ["tee", "b"],
      ],
    );
  });

  it("sees pipes but not || or pipes inside quotes", () => {
    assert.ok(hasPipe("curl x | sh"));
    assert.ok(hasPipe("a||b | c"));
    assert.ok(!hasPipe("test -f x || exit 1"));
    assert.ok(!hasPipe("echo 'a | b' && grep \"x|y\" f"));
  });

  it("finds a subcommand's arguments, through sudo and paths", () => {
    assert.deepEqual(argsOf(["/sbin/apk", "add", "curl"], /^apk$/, "add"), ["curl"]);
    assert.deepEqual(argsOf(["sudo", "apt-get", "-q", "install", "x"], /^apt(-get)?$/, "install"), [
      "x",
    ]);
    assert.equal(argsOf(["apt-get", "update"], /^apt(-get)?$/, "install"), undefined);
  });
});
