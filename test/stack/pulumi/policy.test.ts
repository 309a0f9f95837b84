/**
 * The generated CrossGuard pack: the program's own objects pass every policy,
 * and a pod with each fault (root, latest tag, …) is reported by the right one.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { renderPulumi } from "../../../src/stack/pulumi/index.ts";
import { type MockedRun, mockedRun, secretConfig } from "./support/mocked-run.ts";
import { fullModel } from "./support/models.ts";
import { evaluate, type LoadedPack, loadPack } from "./support/policy-pack.ts";
import type { RecordedResource } from "./support/run-program.ts";
import { type Workspace, writeWorkspace } from "./support/workspace.ts";

const model = fullModel();
let workspace: Workspace;
let pack: LoadedPack;
let run: MockedRun;

before(async () => {
  workspace = await writeWorkspace(renderPulumi(model));
  pack = await loadPack(workspace.dir("deploy/pulumi/policy"));
  run = await mockedRun(model, { imageTag: "0a1b2c3", ...secretConfig(model) });
});
after(() => workspace.remove());

function goodContainer(): Record<string, unknown> {
  return {
    name: "app",
    image: "ghcr.io/acme/app:1.2.3",
    securityContext: {
      runAsNonRoot: true,
      runAsUser: 10001,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ["ALL"] },
    },
    resources: {
      limits: { cpu: "1", memory: "256Mi" },
      requests: { cpu: "100m", memory: "128Mi" },
    },
    livenessProbe: { httpGet: { path: "/healthz", port: 8080 } },
    readinessProbe: { httpGet: { path: "/readyz", port: 8080 } },
  };
}

function deploymentWith(change: (c: Record<string, unknown>) => void): RecordedResource {
  const container = goodContainer();
  change(container);
  return {
    type: "kubernetes:apps/v1:Deployment",
    name: "bad",
    inputs: { spec: { template: { spec: { containers: [container] } } } },
  };
}

function policiesHit(resource: RecordedResource): string[] {
  return [...new Set(evaluate(pack, resource).map((v) => v.policy))].sort();
}

describe("CrossGuard policy pack", () => {
  it("is one mandatory pack with the seven pod policies", () => {
    assert.equal(pack.name, "acme-kubernetes-hardening");
    assert.equal(pack.enforcementLevel, "mandatory");
    assert.deepEqual(pack.policies.map((p) => p.name).sort(), [
      "drop-all-capabilities",
      "no-latest-image-tag",
      "no-privileged-containers",
      "pods-run-as-non-root",
      "probes",
      "read-only-root-filesystem",
      "resource-limits",
    ]);
  });

  it("finds nothing wrong in the Deployments and StatefulSets the program creates", () => {
    const pods = run.resources.filter((r) => /:(Deployment|StatefulSet)$/.test(r.type));
    assert.equal(pods.length, 8);
    for (const r of pods) assert.deepEqual(evaluate(pack, r), [], `${r.type} ${r.name}`);
  });

  it("passes a compliant Deployment", () => {
    assert.deepEqual(policiesHit(deploymentWith(() => {})), []);
  });

  it("reports a container running as root", () => {
    const bad = deploymentWith((c) => {
      c.securityContext = { ...(c.securityContext as object), runAsUser: 0 };
    });
    assert.deepEqual(policiesHit(bad), ["pods-run-as-non-root"]);
    assert.match(evaluate(pack, bad)[0]?.message ?? "", /container app: runs as uid 0/);
  });

  it("reports latest and missing image tags, accepts digests and registry ports", () => {
    const latest = deploymentWith((c) => {
      c.image = "ghcr.io/acme/app:latest";
    });
    assert.deepEqual(policiesHit(latest), ["no-latest-image-tag"]);
    const untagged = deploymentWith((c) => {
      c.image = "registry.local:5000/app";
    });
    assert.deepEqual(policiesHit(untagged), ["no-latest-image-tag"]);
    const digest = deploymentWith((c) => {
      c.image = `ghcr.io/acme/app@sha256:${"a".repeat(64)}`;
    });
    assert.deepEqual(policiesHit(digest), []);
  });

  it("reports each missing hardening setting under its own policy", () => {
    const cases: [string, (c: Record<string, unknown>) => void][] = [
      [
        "read-only-root-filesystem",
        (c) => Object.assign(c.securityContext as object, { readOnlyRootFilesystem: false }),
      ],
      [
        "drop-all-capabilities",
        (c) =>
          Object.assign(c.securityContext as object, {
            capabilities: { add: ["NET_ADMIN"], drop: ["ALL"] },
          }),
      ],
      [
        "no-privileged-containers",
        (c) => Object.assign(c.securityContext as object, { privileged: true }),
      ],
      ["resource-limits", (c) => Object.assign(c, { resources: { limits: { cpu: "1" } } })],
      ["probes", (c) => Object.assign(c, { readinessProbe: undefined })],
    ];
    for (const [policy, change] of cases)
      assert.deepEqual(policiesHit(deploymentWith(change)), [policy], policy);
  });

  it("checks StatefulSets and bare Pods too, and init containers", () => {
    const container = { ...goodContainer(), image: "busybox" };
    const pod: RecordedResource = {
      type: "kubernetes:core/v1:Pod",
      name: "p",
      inputs: { spec: { containers: [container] } },
    };
    assert.deepEqual(policiesHit(pod), ["no-latest-image-tag"]);
    const init = { ...goodContainer(), name: "init", securityContext: {} };
    const sts: RecordedResource = {
      type: "kubernetes:apps/v1:StatefulSet",
      name: "s",
      inputs: {
        spec: { template: { spec: { initContainers: [init], containers: [goodContainer()] } } },
      },
    };
    assert.deepEqual(policiesHit(sts), [
      "drop-all-capabilities",
      "no-privileged-containers",
      "pods-run-as-non-root",
      "read-only-root-filesystem",
    ]);
  });
});
