/**
 * Adds a Python server to sophia.yaml: `servers.<name>.url` for the gateway
 * and an entry in `deploy.pythonServers` for the stack. Edits the YAML
 * document in place (yaml's Document API), so the user's comments, order and
 * formatting elsewhere survive.
 */
import { isMap, isScalar, isSeq, parseDocument, YAMLMap } from "yaml";
import { SophiaError } from "../../shared/errors.ts";

export interface NewServer {
  name: string;
  path: string;
  port: number;
}

export function addPythonServer(text: string, file: string, server: NewServer): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new SophiaError(
      "CONFIG_INVALID",
      `${file} is not valid YAML: ${doc.errors[0]?.message}`,
      {
        hint: "Fix the file (sophia gateway --config reports where), then run new-server again.",
      },
    );
  }
  // An empty file (or one with comments only) gets a block mapping to add to.
  if (doc.contents === null) doc.contents = new YAMLMap() as unknown as typeof doc.contents;
  if (!isMap(doc.contents)) {
    throw new SophiaError("CONFIG_INVALID", `${file} does not hold a mapping at the top level`, {
      hint: "new-server edits a sophia.yaml with servers: and deploy: sections.",
    });
  }
  if (doc.hasIn(["servers", server.name])) {
    throw new SophiaError("USAGE", `${file} already has a server named "${server.name}"`, {
      hint: "Choose another NAME, or remove the existing entry first.",
    });
  }
  ensureMap(doc.contents, "servers");
  doc.setIn(
    ["servers", server.name],
    doc.createNode({ url: `http://${server.name}:${server.port}/mcp` }),
  );
  ensureMap(doc.contents, "deploy");
  const deploy = doc.getIn(["deploy"]) as YAMLMap;
  const entry = doc.createNode({ name: server.name, path: server.path, port: server.port });
  const list = deploy.get("pythonServers", true);
  if (isSeq(list)) {
    if (list.items.some((item) => isMap(item) && item.get("name") === server.name)) {
      throw new SophiaError(
        "USAGE",
        `${file} already lists "${server.name}" in deploy.pythonServers`,
        {
          hint: "Choose another NAME, or remove the existing entry first.",
        },
      );
    }
    list.add(entry);
  } else {
    deploy.set("pythonServers", doc.createNode([entry]));
  }
  return doc.toString();
}

/** An absent or empty (`key:` / `{}`) section becomes a block mapping we can add to. */
function ensureMap(top: YAMLMap, key: string): void {
  const value = top.get(key, true);
  if (isMap(value)) {
    if (value.items.length === 0) value.flow = false;
    return;
  }
  if (value !== undefined && !(isScalar(value) && value.value === null)) {
    throw new SophiaError("CONFIG_INVALID", `"${key}" in sophia.yaml is not a mapping`, {
      hint: `Make "${key}" a mapping, then run new-server again.`,
    });
  }
  top.set(key, new YAMLMap());
}
