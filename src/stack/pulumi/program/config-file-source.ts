/** deploy/pulumi/config-file.ts: sophia.yaml as a ConfigMap the gateway and flow mount. */
export const CONFIG_FILE_TS = `import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

export interface ConfigFile {
  content: string;
  /** Changes whenever the file does; in the pod template, so a changed file rolls the pods. */
  checksum: string;
}

const PROGRAM_DIR = dirname(fileURLToPath(import.meta.url));

/** The configured path (relative to this folder), else the first <source> found walking up from here. */
export function findConfigFile(source: string, configured: string | undefined): string {
  if (configured !== undefined) return isAbsolute(configured) ? configured : resolve(PROGRAM_DIR, configured);
  let dir = PROGRAM_DIR;
  for (let depth = 0; depth < 6; depth++) {
    const candidate = join(dir, source);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error(source + " not found above " + PROGRAM_DIR + "; set its path with: pulumi config set sophiaConfigPath <path>");
}

export function readConfigFile(path: string): ConfigFile {
  const content = readFileSync(path, "utf8");
  return { content, checksum: createHash("sha256").update(content).digest("hex").slice(0, 16) };
}

export function configMap(
  name: string,
  namespace: pulumi.Input<string>,
  labels: Record<string, string>,
  file: ConfigFile,
): k8s.core.v1.ConfigMap {
  return new k8s.core.v1.ConfigMap(name, {
    metadata: { name, namespace, labels },
    data: { "sophia.yaml": file.content },
  });
}
`;
