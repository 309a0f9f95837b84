/**
 * Child process: runs a generated Pulumi program under pulumi.runtime.setMocks
 * and prints every registered resource as one JSON document on stdout.
 * Usage: node run-program.ts <program dir> <JSON RunOptions>
 * A separate process per run, because Pulumi's runtime state is process-wide.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import * as pulumi from "@pulumi/pulumi";

export interface RunOptions {
  project: string;
  stack: string;
  /** Config values by bare key (the project prefix is added here). */
  config: Record<string, string>;
  secretKeys: string[];
}

export interface RecordedResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

// How Pulumi marks a secret value in serialized properties.
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_MARK = "1b47061264138c4ac30d75fd1eb44270";

/** Secrets arrive wrapped; tests assert on the plain values. */
function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (record[SECRET_SIG] === SECRET_MARK) return unwrapSecrets(record.value);
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrapSecrets(v)]));
}

const [programDir, optionsJson] = process.argv.slice(2);
if (programDir === undefined || optionsJson === undefined) {
  process.stderr.write("usage: run-program.ts <program dir> <options JSON>\n");
  process.exit(2);
}
const options = JSON.parse(optionsJson) as RunOptions;
const resources: RecordedResource[] = [];
const failures: string[] = [];
process.on("unhandledRejection", (reason) => failures.push(String(reason)));

/** Fills what the API server would compute, so Outputs like metadata.name resolve. */
function computed(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
  const inputs = args.inputs as Record<string, unknown>;
  const metadata = (inputs.metadata ?? {}) as Record<string, unknown>;
  return {
    ...inputs,
    metadata: { ...metadata, name: metadata.name ?? `${args.name}-mock`, uid: `uid-${args.name}` },
    status: { phase: "Active", observedGeneration: 1 },
  };
}

await pulumi.runtime.setMocks(
  {
    newResource(args) {
      const inputs = unwrapSecrets(args.inputs) as Record<string, unknown>;
      resources.push({ type: args.type, name: args.name, inputs });
      return { id: `${args.name}-id`, state: computed(args) };
    },
    call(args) {
      return args.inputs;
    },
  },
  options.project,
  options.stack,
  false,
);
const config = Object.fromEntries(
  Object.entries(options.config).map(([key, value]) => [`${options.project}:${key}`, value]),
);
pulumi.runtime.setAllConfig(
  config,
  options.secretKeys.map((key) => `${options.project}:${key}`),
);

try {
  await import(pathToFileURL(join(programDir, "index.ts")).href);
  await pulumi.runtime.disconnect();
} catch (error) {
  failures.push(error instanceof Error ? error.message : String(error));
}
process.stdout.write(JSON.stringify({ resources, failures }));
