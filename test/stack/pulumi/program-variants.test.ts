/**
 * The generated program for other shapes: the smallest stack, managed data
 * services, config overrides, and the config mistakes it refuses.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { mockedRun, secretConfig } from "./support/mocked-run.ts";
import { fullModel, minimalModel } from "./support/models.ts";

describe("Pulumi program variants under mocks", () => {
  it("deploys only the gateway and Redis for a stack without flows, n8n or Python servers", async () => {
    const model = minimalModel();
    const run = await mockedRun(model, { imageTag: "v1", ...secretConfig(model) });
    assert.deepEqual(run.failures, []);
    assert.deepEqual(
      run.ofType("apps/v1:Deployment").map((d) => d.name),
      ["gateway"],
    );
    assert.deepEqual(
      run.ofType("apps/v1:StatefulSet").map((s) => s.name),
      ["redis"],
    );
    const policies = run
      .ofType("networking.k8s.io/v1:NetworkPolicy")
      .map((p) => p.name)
      .sort();
    assert.deepEqual(policies, ["allow-dns", "allow-gateway", "allow-redis", "default-deny-all"]);
    const data = run.one("core/v1:Secret", "tiny-secrets").inputs.stringData as Record<
      string,
      string
    >;
    assert.deepEqual(Object.keys(data).sort(), ["REDIS_PASSWORD", "REDIS_URL"]);
  });

  it("uses managed services: no StatefulSets, URLs from config, egress to their ranges", async () => {
    const model = fullModel();
    const run = await mockedRun(model, {
      imageTag: "v2",
      ...secretConfig(model),
      useManagedServices: "true",
      postgresHost: "db.example.internal",
      redisHost: "cache.example.internal",
      natsUrl: "tls://nats.example.internal:4222",
      managedServicesCidrs: JSON.stringify(["10.20.0.0/16"]),
    });
    assert.deepEqual(run.failures, []);
    assert.deepEqual(run.ofType("apps/v1:StatefulSet"), []);
    assert.ok(
      !run.ofType("networking.k8s.io/v1:NetworkPolicy").some((p) => p.name === "allow-postgres"),
    );
    const data = run.one("core/v1:Secret", "acme-secrets").inputs.stringData as Record<
      string,
      string
    >;
    assert.equal(
      data.DATABASE_URL,
      "postgres://sophia:test-POSTGRES_PASSWORD@db.example.internal:5432/sophia?sslmode=require",
    );
    assert.equal(data.REDIS_URL, "rediss://:test-REDIS_PASSWORD@cache.example.internal:6379");
    assert.equal(data.NATS_URL, "tls://nats.example.internal:4222");
    const flow = run.one("networking.k8s.io/v1:NetworkPolicy", "allow-flow")
      .inputs as unknown as INetworkPolicy;
    const toPostgres = flow.spec?.egress?.[0];
    assert.deepEqual(toPostgres?.to, [{ ipBlock: { cidr: "10.20.0.0/16" } }]);
    assert.deepEqual(toPostgres?.ports, [{ protocol: "TCP", port: 5432 }]);
  });

  it("applies autoscale overrides from config", async () => {
    const model = minimalModel();
    const run = await mockedRun(model, {
      imageTag: "v3",
      ...secretConfig(model),
      autoscale: JSON.stringify({ gateway: { min: 3, max: 30 } }),
    });
    const hpa = run.one("autoscaling/v2:HorizontalPodAutoscaler", "gateway").inputs as {
      spec: { minReplicas: number; maxReplicas: number };
    };
    assert.deepEqual([hpa.spec.minReplicas, hpa.spec.maxReplicas], [3, 30]);
    const gw = run.one("apps/v1:Deployment", "gateway").inputs as unknown as IDeployment;
    assert.equal(gw.spec?.replicas, undefined);
  });

  it("refuses the latest tag, a missing tag, a missing secret and bad autoscale bounds", async () => {
    const model = minimalModel();
    const secrets = secretConfig(model);
    const cases: [Record<string, string>, RegExp][] = [
      [{ imageTag: "latest", ...secrets }, /imageTag is 'latest'/],
      [{ ...secrets }, /imageTag is ''/],
      [{ imageTag: "v1" }, /redisPassword/],
      [
        { imageTag: "v1", ...secrets, autoscale: JSON.stringify({ gateway: { min: 5, max: 2 } }) },
        /autoscale\.gateway/,
      ],
    ];
    for (const [config, expected] of cases) {
      const run = await mockedRun(model, config);
      assert.match(run.failures.join("\n"), expected, JSON.stringify(Object.keys(config)));
    }
  });
});
