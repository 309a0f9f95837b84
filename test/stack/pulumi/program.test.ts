/**
 * The generated Pulumi program, run under pulumi.runtime.setMocks for the
 * full model (flow, n8n, a Python server, in-cluster data services): what it
 * would create, checked resource by resource and against the Kubernetes schemas.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { IHorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import { validateObject } from "./support/kube-models.ts";
import { type MockedRun, mockedRun, SOPHIA_YAML, secretConfig } from "./support/mocked-run.ts";
import { fullModel } from "./support/models.ts";
import type { RecordedResource } from "./support/run-program.ts";

const model = fullModel();
let run: MockedRun;

function as<T>(r: RecordedResource): T {
  return r.inputs as unknown as T;
}

function podSpec(r: RecordedResource): IPodSpec {
  const spec = as<IDeployment>(r).spec?.template.spec;
  assert.ok(spec, `${r.name} has a pod spec`);
  return spec;
}

function policy(name: string): INetworkPolicy {
  return as<INetworkPolicy>(run.one("networking.k8s.io/v1:NetworkPolicy", name));
}

/** Names in the app.kubernetes.io/name labels a policy rule's peers select. */
function peerNames(
  peers: { podSelector?: { matchLabels?: Record<string, string> } }[] = [],
): string[] {
  return peers.map((p) => p.podSelector?.matchLabels?.["app.kubernetes.io/name"] ?? "?").sort();
}

before(async () => {
  run = await mockedRun(model, { imageTag: "0a1b2c3", ...secretConfig(model) });
});

describe("Pulumi program under mocks (full model)", () => {
  it("runs without errors and creates the namespace with restricted pod security", () => {
    assert.deepEqual(run.failures, []);
    const ns = run.one("core/v1:Namespace", "acme");
    const labels = (ns.inputs.metadata as { labels: Record<string, string> }).labels;
    assert.equal(labels["pod-security.kubernetes.io/enforce"], "restricted");
  });

  it("deploys the same workloads as Compose", () => {
    const names = run
      .ofType("apps/v1:Deployment")
      .map((d) => d.name)
      .sort();
    assert.deepEqual(names, ["flow", "gateway", "n8n", "n8n-worker", "weather"]);
    const data = run
      .ofType("apps/v1:StatefulSet")
      .map((s) => s.name)
      .sort();
    assert.deepEqual(data, ["nats", "postgres", "redis"]);
    const services = run
      .ofType("core/v1:Service")
      .map((s) => s.name)
      .sort();
    assert.deepEqual(services, [...names, ...data].sort());
  });

  it("hardens every Deployment's pod and container", () => {
    for (const d of run.ofType("apps/v1:Deployment")) {
      const spec = podSpec(d);
      assert.equal(spec.automountServiceAccountToken, false, d.name);
      assert.equal(spec.securityContext?.runAsNonRoot, true, d.name);
      assert.equal(spec.securityContext?.seccompProfile?.type, "RuntimeDefault", d.name);
      assert.equal(spec.containers.length, 1);
      const c = spec.containers[0]!;
      assert.deepEqual(
        {
          runAsNonRoot: c.securityContext?.runAsNonRoot,
          runAsUser: c.securityContext?.runAsUser,
          readOnlyRootFilesystem: c.securityContext?.readOnlyRootFilesystem,
          allowPrivilegeEscalation: c.securityContext?.allowPrivilegeEscalation,
          drop: c.securityContext?.capabilities?.drop,
          seccomp: c.securityContext?.seccompProfile?.type,
        },
        {
          runAsNonRoot: true,
          runAsUser: 10001,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          drop: ["ALL"],
          seccomp: "RuntimeDefault",
        },
        d.name,
      );
      const tmp = c.volumeMounts?.find((m) => m.mountPath === "/tmp");
      assert.ok(tmp, `${d.name} mounts /tmp`);
      assert.ok(
        spec.volumes?.some((v) => v.name === tmp.name && v.emptyDir !== undefined),
        `${d.name} /tmp is an emptyDir`,
      );
      assert.ok(
        c.resources?.requests?.cpu && c.resources.limits?.memory,
        `${d.name} has requests and limits`,
      );
    }
  });

  it("probes readiness and liveness on each workload's own endpoints", () => {
    for (const d of run.ofType("apps/v1:Deployment")) {
      const c = podSpec(d).containers[0]!;
      const expected = {
        gateway: ["/readyz", "/healthz"],
        flow: ["/metrics", "/metrics"],
        n8n: ["/healthz/readiness", "/healthz"],
        "n8n-worker": ["/healthz/readiness", "/healthz"],
        weather: ["/healthz", "/healthz"],
      }[d.name];
      assert.deepEqual(
        [c.readinessProbe?.httpGet?.path, c.livenessProbe?.httpGet?.path],
        expected,
        d.name,
      );
      assert.equal(c.readinessProbe?.httpGet?.port, "http");
    }
  });

  it("rolls out with zero downtime (maxUnavailable 0, maxSurge 1)", () => {
    for (const d of run.ofType("apps/v1:Deployment")) {
      const strategy = as<IDeployment>(d).spec?.strategy;
      assert.deepEqual(
        strategy,
        { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        d.name,
      );
    }
  });

  it("tags built images with the configured tag and keeps n8n's pinned image", () => {
    const image = (name: string) =>
      podSpec(run.one("apps/v1:Deployment", name)).containers[0]!.image;
    assert.equal(image("gateway"), "ghcr.io/acme/acme:0a1b2c3");
    assert.equal(image("weather"), "ghcr.io/acme/acme-weather:0a1b2c3");
    assert.equal(image("n8n-worker"), model.n8n.image);
  });

  it("autoscales the gateway and the n8n workers on CPU, leaving replicas to the autoscaler", () => {
    const hpas = run.ofType("autoscaling/v2:HorizontalPodAutoscaler");
    assert.deepEqual(hpas.map((h) => h.name).sort(), ["gateway", "n8n-worker"]);
    const gateway = as<IHorizontalPodAutoscaler>(
      run.one("autoscaling/v2:HorizontalPodAutoscaler", "gateway"),
    );
    assert.deepEqual(gateway.spec?.scaleTargetRef, {
      apiVersion: "apps/v1",
      kind: "Deployment",
      name: "gateway",
    });
    assert.equal(gateway.spec?.minReplicas, 2);
    assert.equal(gateway.spec?.maxReplicas, 8);
    assert.equal(gateway.spec?.metrics?.[0]?.resource?.target.averageUtilization, 70);
    assert.equal(
      as<IDeployment>(run.one("apps/v1:Deployment", "gateway")).spec?.replicas,
      undefined,
    );
    assert.equal(as<IDeployment>(run.one("apps/v1:Deployment", "flow")).spec?.replicas, 1);
  });

  it("keeps one pod of each multi-pod workload through disruptions", () => {
    const pdbs = run.ofType("policy/v1:PodDisruptionBudget");
    assert.deepEqual(pdbs.map((p) => p.name).sort(), ["gateway", "n8n-worker"]);
    for (const p of pdbs) {
      const spec = as<IPodDisruptionBudget>(p).spec;
      assert.equal(spec?.minAvailable, 1);
      assert.equal(spec?.selector?.matchLabels?.["app.kubernetes.io/name"], p.name);
    }
  });

  it("denies all ingress and egress by default and allows DNS", () => {
    const deny = policy("default-deny-all");
    assert.deepEqual(deny.spec?.podSelector, { matchLabels: {} });
    assert.deepEqual(deny.spec?.policyTypes, ["Ingress", "Egress"]);
    assert.deepEqual([deny.spec?.ingress, deny.spec?.egress], [[], []]);
    const dns = policy("allow-dns");
    assert.deepEqual(dns.spec?.policyTypes, ["Egress"]);
    assert.deepEqual(dns.spec?.egress?.[0]?.ports, [
      { protocol: "UDP", port: 53 },
      { protocol: "TCP", port: 53 },
    ]);
  });

  it("lets only the ingress controller reach the gateway, and the gateway reach Redis, its servers and HTTPS", () => {
    const gw = policy("allow-gateway");
    assert.equal(gw.spec?.ingress?.length, 1);
    const from = gw.spec?.ingress?.[0];
    assert.deepEqual(from?.from?.[0]?.namespaceSelector?.matchLabels, {
      "kubernetes.io/metadata.name": "ingress-nginx",
    });
    assert.deepEqual(from?.ports, [{ protocol: "TCP", port: 8080 }]);
    const egress = gw.spec?.egress ?? [];
    assert.deepEqual(egress.map((e) => [peerNames(e.to), e.ports?.[0]?.port]).slice(0, 2), [
      [["redis"], 6379],
      [["weather"], 8000],
    ]);
    const external = egress[2]?.to?.[0]?.ipBlock;
    assert.equal(external?.cidr, "0.0.0.0/0");
    assert.deepEqual(external?.except, ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]);
    assert.equal(egress[2]?.ports?.[0]?.port, 443);
  });

  it("lets flow reach PostgreSQL, NATS and n8n webhooks, and nothing reach flow", () => {
    const flow = policy("allow-flow");
    assert.deepEqual(flow.spec?.ingress, []);
    const targets = (flow.spec?.egress ?? []).map((e) => [peerNames(e.to), e.ports?.[0]?.port]);
    assert.deepEqual(targets.slice(0, 3), [
      [["postgres"], 5432],
      [["nats"], 4222],
      [["n8n"], 5678],
    ]);
    const n8n = policy("allow-n8n");
    assert.deepEqual(peerNames(n8n.spec?.ingress?.[1]?.from), ["flow"]);
  });

  it("opens each data service to its clients only", () => {
    assert.deepEqual(peerNames(policy("allow-postgres").spec?.ingress?.[0]?.from), [
      "flow",
      "n8n",
      "n8n-worker",
    ]);
    assert.deepEqual(peerNames(policy("allow-redis").spec?.ingress?.[0]?.from), [
      "gateway",
      "n8n",
      "n8n-worker",
    ]);
    assert.deepEqual(peerNames(policy("allow-nats").spec?.ingress?.[0]?.from), ["flow"]);
    assert.deepEqual(policy("allow-postgres").spec?.policyTypes, ["Ingress"]);
  });

  it("puts ESC secrets and built connection URLs into one Secret, referenced by key", () => {
    const data = run.one("core/v1:Secret", "acme-secrets").inputs.stringData as Record<
      string,
      string
    >;
    assert.equal(data.POSTGRES_PASSWORD, "test-POSTGRES_PASSWORD");
    assert.equal(
      data.DATABASE_URL,
      "postgres://sophia:test-POSTGRES_PASSWORD@postgres:5432/sophia",
    );
    assert.equal(data.REDIS_URL, "redis://:test-REDIS_PASSWORD@redis:6379");
    assert.equal(data.NATS_URL, "nats://nats:4222");
    const env = podSpec(run.one("apps/v1:Deployment", "flow")).containers[0]!.env ?? [];
    const fromSecret = env
      .filter((e) => e.valueFrom?.secretKeyRef?.name === "acme-secrets")
      .map((e) => e.name);
    assert.deepEqual(fromSecret, ["OPENAI_API_KEY", "DATABASE_URL", "NATS_URL"]);
    assert.ok(
      env.every((e) => e.value === undefined || !e.value.includes("test-")),
      "no secret value inline",
    );
  });

  it("runs PostgreSQL with logical decoding, non-root, on a volume claim", () => {
    const pg = as<IStatefulSet>(run.one("apps/v1:StatefulSet", "postgres"));
    const c = pg.spec?.template.spec?.containers[0];
    assert.ok(c?.args?.includes("wal_level=logical"));
    assert.equal(c?.securityContext?.runAsNonRoot, true);
    assert.equal(c?.securityContext?.readOnlyRootFilesystem, true);
    assert.equal(pg.spec?.volumeClaimTemplates?.[0]?.spec?.resources?.requests?.storage, "10Gi");
  });

  it("mounts sophia.yaml from a ConfigMap into the gateway and flow, with a checksum that rolls pods", () => {
    const cm = run.one("core/v1:ConfigMap", "acme-config").inputs as {
      data: Record<string, string>;
    };
    assert.equal(cm.data["sophia.yaml"], SOPHIA_YAML);
    for (const name of ["gateway", "flow"]) {
      const d = as<IDeployment>(run.one("apps/v1:Deployment", name));
      const mount = d.spec?.template.spec?.containers[0]?.volumeMounts?.find(
        (m) => m.name === "sophia-config",
      );
      assert.deepEqual(mount, {
        name: "sophia-config",
        mountPath: "/app/sophia.yaml",
        subPath: "sophia.yaml",
        readOnly: true,
      });
      assert.match(
        d.spec?.template.metadata?.annotations?.["sophia.dev/config-checksum"] ?? "",
        /^[0-9a-f]{16}$/,
      );
    }
    const n8n = as<IDeployment>(run.one("apps/v1:Deployment", "n8n"));
    assert.equal(n8n.spec?.template.metadata?.annotations, undefined);
  });

  it("runs the gateway and flow listening on all interfaces", () => {
    const args = (name: string) => podSpec(run.one("apps/v1:Deployment", name)).containers[0]!.args;
    assert.deepEqual(args("gateway"), ["node", "src/cli/main.ts", "gateway", "--host", "0.0.0.0"]);
    assert.deepEqual(args("flow")?.slice(-2), ["--metrics-host", "0.0.0.0"]);
  });

  it("routes the public hosts through one Ingress", () => {
    const ingress = run.one("networking.k8s.io/v1:Ingress", "acme").inputs as {
      spec: { rules: { host: string }[] };
    };
    assert.deepEqual(
      ingress.spec.rules.map((r) => r.host),
      ["mcp.acme.example", "n8n.mcp.acme.example"],
    );
  });

  it("creates only objects that validate against the Kubernetes schemas", async () => {
    const kubernetes = run.resources.filter(
      (r) => r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:providers"),
    );
    assert.ok(kubernetes.length > 30, `only ${kubernetes.length} objects`);
    for (const r of kubernetes) await validateObject(r);
  });

  it("has a validator that rejects a malformed object", async () => {
    const gateway = run.one("apps/v1:Deployment", "gateway");
    const broken = { ...gateway, inputs: { ...gateway.inputs, spec: { replicas: "two" } } };
    await assert.rejects(validateObject(broken), /Deployment gateway/);
  });
});
