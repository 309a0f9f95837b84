import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { main } from "../../../src/cli/main.ts";
import { isSophiaError } from "../../../src/shared/errors.ts";

function io(cwd = process.cwd()) {
  const out: string[] = [];
  let err = "";
  return {
    out,
    get err() {
      return err;
    },
    io: {
      out: (line: string) => out.push(line),
      err: (text: string) => {
        err += text;
      },
      env: {},
      cwd,
    },
  };
}

test("sophia flow lists its subcommands; each has --help", async () => {
  const t = io();
  assert.equal(await main(["flow", "--help"], t.io), 0);
  assert.match(t.out.join("\n"), /run .*status .*backfill .*dlq .*export/s);
  for (const sub of ["run", "status", "backfill", "dlq", "export"]) {
    const s = io();
    assert.equal(await main(["flow", sub, "--help"], s.io), 0, sub);
    assert.match(s.out.join("\n"), new RegExp(`sophia flow ${sub}`));
  }
});

test("usage errors name the subcommand: unknown option, half a one-line form, unknown flow", async () => {
  await assert.rejects(
    main(["flow", "run", "--nope"], io().io),
    (e) => isSophiaError(e, "USAGE") && /flow run/.test(e.message),
  );
  await assert.rejects(
    main(["flow", "run", "--source", "postgres://h/db"], io().io),
    (e) => isSophiaError(e, "USAGE") && /--table/.test(e.message),
  );
  await assert.rejects(main(["flow", "frobnicate"], io().io), (e) => isSophiaError(e, "USAGE"));
  const dir = await mkdtemp(join(tmpdir(), "sophia-cli-flow-"));
  try {
    await writeFile(
      join(dir, "sophia.yaml"),
      "flows:\n  a:\n    source: { postgres: postgres://h/db, tables: [public.t] }\n    sinks: { s: { webhook: { url: http://127.0.0.1:1/ } } }\n",
    );
    await assert.rejects(
      main(["flow", "run", "--flow", "b"], io(dir).io),
      (e) => isSophiaError(e, "USAGE") && e.hint === "configured flows: a",
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
