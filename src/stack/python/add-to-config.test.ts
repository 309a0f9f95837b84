import assert from "node:assert/strict";
import { test } from "node:test";
import { parse } from "yaml";
import { isSophiaError } from "../../shared/errors.ts";
import { addPythonServer } from "./add-to-config.ts";

const SERVER = { name: "weather", path: "servers/weather", port: 8000 };

test("adds the server and its deploy entry, keeping the user's comments", () => {
  const text =
    "# my project\ngateway:\n  port: 8080 # public port\nservers:\n  files: { command: npx } # files\n";
  const out = addPythonServer(text, "sophia.yaml", SERVER);
  for (const comment of ["# my project", "# public port", "# files"])
    assert.ok(out.includes(comment), comment);
  assert.deepEqual(parse(out), {
    gateway: { port: 8080 },
    servers: { files: { command: "npx" }, weather: { url: "http://weather:8000/mcp" } },
    deploy: { pythonServers: [SERVER] },
  });
});

test("appends to an existing pythonServers list and works on an empty file", () => {
  const out = addPythonServer("deploy:\n  pythonServers:\n    - name: a\n", "s.yaml", SERVER);
  assert.deepEqual(parse(out).deploy.pythonServers, [{ name: "a" }, SERVER]);
  assert.deepEqual(parse(addPythonServer("", "s.yaml", SERVER)).servers, {
    weather: { url: "http://weather:8000/mcp" },
  });
});

test("refuses a name that is already taken", () => {
  assert.throws(
    () => addPythonServer("servers:\n  weather: { url: http://x }\n", "s.yaml", SERVER),
    (error) => isSophiaError(error, "USAGE"),
  );
});
