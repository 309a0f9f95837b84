/**
 * Traefik as the only public entry. Routes come from a generated file
 * (file provider) instead of container labels read through the Docker
 * socket: mounting docker.sock would give the proxy root on the host
 * (CIS Docker 5.31). Each gateway replica is a backend of its own with an
 * active health check on /healthz.
 */
import { IMAGES } from "../images.ts";
import type { Environment, GeneratedFile, StackModel } from "../model.ts";
import { yamlFile } from "../serialize.ts";
import { hardened, healthcheck, type Service } from "./compose-common.ts";
import { inOut, type Layout } from "./layout.ts";

const STATIC = "/etc/traefik/traefik.yml";
const DYNAMIC = "/etc/traefik/dynamic.yml";

export function traefikService(): Service {
  return {
    image: IMAGES.traefik,
    command: [`--configFile=${STATIC}`],
    networks: ["edge", "internal"],
    healthcheck: healthcheck(["CMD", "traefik", "healthcheck", `--configFile=${STATIC}`]),
    ...hardened({ memory: "128m", pids: 128 }, { tmpfs: ["/tmp"] }),
  };
}

/** Config mounts for the override of one environment. */
export function traefikConfigs(): { source: string; target: string }[] {
  return [
    { source: "traefik_static", target: STATIC },
    { source: "traefik_dynamic", target: DYNAMIC },
  ];
}

function staticConfig(model: StackModel, env: Environment): unknown {
  const common = {
    ping: { entryPoint: "ping" },
    providers: { file: { filename: DYNAMIC, watch: false } },
    api: { dashboard: false },
    log: { level: "INFO" },
    accessLog: {},
  };
  if (env === "dev") {
    return { entryPoints: { web: { address: ":8000" }, ping: { address: ":8082" } }, ...common };
  }
  return {
    entryPoints: {
      web: {
        address: ":8000",
        http: { redirections: { entryPoint: { to: ":443", scheme: "https", permanent: true } } },
      },
      websecure: { address: ":8443", http: { tls: { certResolver: "letsencrypt" } } },
      ping: { address: ":8082" },
    },
    ...common,
    certificatesResolvers: {
      letsencrypt: {
        acme: { email: model.acmeEmail, storage: "/letsencrypt/acme.json", tlsChallenge: {} },
      },
    },
  };
}

function backend(urls: string[], path: string): unknown {
  return {
    loadBalancer: {
      servers: urls.map((url) => ({ url })),
      healthCheck: { path, interval: "10s", timeout: "3s" },
      passHostHeader: true,
    },
  };
}

/** Dev routes on <name>.localhost, which resolves to the loopback address without DNS. */
export function hostFor(model: StackModel, env: Environment): string {
  return env === "dev" ? `${model.name}.localhost` : model.domain;
}

function dynamicConfig(model: StackModel, env: Environment): unknown {
  const host = hostFor(model, env);
  const entryPoints = [env === "dev" ? "web" : "websecure"];
  const replicas = env === "dev" ? 1 : model.gateway.replicas;
  const gateways = Array.from(
    { length: replicas },
    (_, i) => `http://${model.name}-gateway-${i + 1}:${model.gateway.port}`,
  );
  const routers: Record<string, unknown> = {
    gateway: { rule: `Host(\`${host}\`)`, entryPoints, service: "gateway" },
  };
  const services: Record<string, unknown> = { gateway: backend(gateways, "/healthz") };
  if (model.n8n.enabled) {
    routers.n8n = { rule: `Host(\`n8n.${host}\`)`, entryPoints, service: "n8n" };
    services.n8n = backend(["http://n8n:5678"], "/healthz");
  }
  return { http: { routers, services } };
}

export function traefikFiles(model: StackModel, layout: Layout, env: Environment): GeneratedFile[] {
  return [
    {
      path: inOut(layout, `traefik/traefik.${env}.yml`),
      content: yamlFile(model.source, staticConfig(model, env)),
      env,
    },
    {
      path: inOut(layout, `traefik/dynamic.${env}.yml`),
      content: yamlFile(model.source, dynamicConfig(model, env)),
      env,
    },
  ];
}
