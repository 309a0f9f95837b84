/**
 * Loads the generated CrossGuard pack without serving it: PolicyPack (which
 * starts the gRPC server the Pulumi CLI talks to) is swapped for a recorder
 * before the pack is imported, and its validations are called as the policy
 * server would call them.
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import type { RecordedResource } from "./run-program.ts";

export interface LoadedPack {
  name: string;
  enforcementLevel: string | undefined;
  policies: ResourceValidationPolicy[];
  /** The pack module's own exports (its pure checks). */
  module: Record<string, unknown>;
}

export interface Violation {
  policy: string;
  message: string;
}

type Validation = ((args: ResourceValidationArgs, report: (message: string) => void) => unknown) & {
  __pulumiType?: string;
};

export async function loadPack(packDir: string): Promise<LoadedPack> {
  // The package's index re-exports policy.js through getters, so the swap happens in policy.js.
  const sdk = createRequire(import.meta.url)("@pulumi/policy/policy.js") as Record<string, unknown>;
  const recorded: {
    name?: string;
    args?: { policies: ResourceValidationPolicy[]; enforcementLevel?: string };
  } = {};
  sdk.PolicyPack = class RecordingPolicyPack {
    constructor(name: string, args: { policies: ResourceValidationPolicy[] }) {
      recorded.name = name;
      recorded.args = args;
    }
  };
  const module = (await import(pathToFileURL(join(packDir, "index.ts")).href)) as Record<
    string,
    unknown
  >;
  if (recorded.name === undefined || recorded.args === undefined)
    throw new Error("the pack never built a PolicyPack");
  return {
    name: recorded.name,
    enforcementLevel: recorded.args.enforcementLevel,
    policies: recorded.args.policies,
    module,
  };
}

function fakeArgs(resource: RecordedResource): ResourceValidationArgs {
  return {
    type: resource.type,
    props: resource.inputs,
    urn: `urn:pulumi:test::test::${resource.type}::${resource.name}`,
    name: resource.name,
    opts: {
      protect: false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
    },
    stackTags: new Map(),
    isType: (cls) => (cls as { __pulumiType?: string }).__pulumiType === resource.type,
    asType: () => undefined,
    getConfig: () => ({}) as never,
    notApplicable: (reason?: string) => {
      throw new Error(`not applicable: ${reason}`);
    },
  } as ResourceValidationArgs;
}

/** Every violation the pack reports for one resource. */
export function evaluate(pack: LoadedPack, resource: RecordedResource): Violation[] {
  const found: Violation[] = [];
  for (const policy of pack.policies) {
    const raw = policy.validateResource;
    const validations = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) as Validation[];
    for (const validate of validations) {
      if (validate.__pulumiType !== resource.type) continue;
      validate(fakeArgs(resource), (message) => found.push({ policy: policy.name, message }));
    }
  }
  return found;
}
