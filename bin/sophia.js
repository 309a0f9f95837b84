#!/usr/bin/env node
// Sophia runs its TypeScript sources directly (Node's type stripping). From a
// checkout, `npx sophia` and npm scripts use the project's pinned Node 24.
import { spawnSync } from "node:child_process";

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 6)) {
  process.stderr.write(
    `sophia: Node ${process.versions.node} is too old; Sophia needs Node 22.6 or newer (24 recommended).\n` +
      "From a checkout, run it through npm (npx sophia …), which uses the project's pinned Node 24.\n",
  );
  process.exit(1);
}
const main = new URL("../src/cli/main.ts", import.meta.url);
if (process.features.typescript) {
  const { run } = await import(main.href);
  run();
} else {
  // Node 22.6–23.5 strip types only behind a flag.
  const args = [
    "--experimental-strip-types",
    "--no-warnings",
    main.pathname,
    ...process.argv.slice(2),
  ];
  const result = spawnSync(process.execPath, args, { stdio: "inherit" });
  process.exit(result.status ?? 1);
}
