// `npm run pack:check`: the published tarball holds only the built nodes, README, LICENSE and
// package.json, and every file the `n8n` section names. Exits 1 and names what is wrong.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
  encoding: "utf8",
});
const files = JSON.parse(out)[0]
  .files.map((file) => file.path)
  .sort();
const allowed = (path) =>
  path.startsWith("dist/") || ["README.md", "LICENSE", "package.json"].includes(path);
const manifest = JSON.parse(readFileSync("package.json", "utf8"));
const required = [
  "README.md",
  "LICENSE",
  "package.json",
  ...manifest.n8n.nodes,
  ...manifest.n8n.credentials,
];
const problems = [
  ...files
    .filter((path) => !allowed(path))
    .map((path) => `unexpected file in the package: ${path}`),
  ...required
    .filter((path) => !files.includes(path))
    .map((path) => `missing from the package: ${path} (run npm run build)`),
];
for (const path of files) process.stdout.write(`  ${path}\n`);
if (problems.length > 0) {
  for (const problem of problems) process.stderr.write(`pack:check: ${problem}\n`);
  process.exit(1);
}
process.stdout.write(
  `pack:check: ${files.length} files, only dist/, README.md, LICENSE and package.json\n`,
);
