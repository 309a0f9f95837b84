/**
 * Sophia's own images. Sophia runs TypeScript natively on Node 24, so there
 * is no build stage: the image holds package.json, production node_modules
 * and src/, and runs `node src/cli/main.ts`.
 */
import { headerComment } from "../header.ts";
import type { GeneratedFile, StackModel } from "../model.ts";
import { inOut, type Layout } from "./layout.ts";

/** Non-root numeric user (the image's own `node` user is 1000; 10001 is ours and owns nothing). */
export const APP_UID = 10001;

/** Healthcheck without curl (not in slim images): Node's own fetch against /healthz. */
export function nodeHealthProbe(port: number, path = "/healthz"): string[] {
  const script = `fetch('http://127.0.0.1:${port}${path}').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))`;
  return ["node", "-e", script];
}

function json(values: string[]): string {
  return JSON.stringify(values);
}

function preamble(model: StackModel): string {
  return `# syntax=docker/dockerfile:1\n${headerComment(model.source, "hash")}`;
}

export function dockerfileProd(model: StackModel, layout: Layout): GeneratedFile {
  const port = model.gateway.port;
  const content = `${preamble(model)}
# Production dependencies only, cached across builds by BuildKit.
FROM node:${model.nodeImage} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \\
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:${model.nodeImage}
ENV NODE_ENV=production
WORKDIR /app
# Files stay owned by root: the app user can read but not change its own code.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY src ./src
COPY --chmod=0755 ${inOut(layout, "docker-entrypoint.sh")} /usr/local/bin/sophia-entrypoint
USER ${APP_UID}:${APP_UID}
EXPOSE ${port}
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \\
  CMD ${json(nodeHealthProbe(port))}
ENTRYPOINT ["/usr/local/bin/sophia-entrypoint"]
CMD ["node", "src/cli/main.ts", "up", "--host", "0.0.0.0"]
`;
  return { path: inOut(layout, "Dockerfile.prod"), content, env: "prod" };
}

export function dockerfileDev(model: StackModel, layout: Layout): GeneratedFile {
  const port = model.gateway.port;
  const content = `${preamble(model)}
# Development image: all dependencies, src/ bind-mounted by compose.dev.yaml,
# restarted by node --watch on every change.
FROM node:${model.nodeImage}
ENV NODE_ENV=development
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \\
    npm ci --no-audit --no-fund
COPY src ./src
COPY --chmod=0755 ${inOut(layout, "docker-entrypoint.sh")} /usr/local/bin/sophia-entrypoint
USER node
EXPOSE ${port}
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \\
  CMD ${json(nodeHealthProbe(port))}
ENTRYPOINT ["/usr/local/bin/sophia-entrypoint"]
CMD ["node", "--watch", "src/cli/main.ts", "up", "--host", "0.0.0.0"]
`;
  return { path: inOut(layout, "Dockerfile.dev"), content, env: "dev" };
}

/** Turns every `NAME_FILE` variable into `NAME` (Compose and Kubernetes secrets), then runs the command. */
export function entrypointScript(model: StackModel, layout: Layout): GeneratedFile {
  const content = `#!/bin/sh
${headerComment(model.source, "hash")}# Secrets arrive as files (/run/secrets/<name>) named by NAME_FILE variables;
# Sophia reads \${NAME} from its environment, so each file is exported as NAME.
set -eu
for name in $(env | sed -n 's/^\\([A-Za-z_][A-Za-z0-9_]*\\)_FILE=.*/\\1/p'); do
  eval "file=\\\${\${name}_FILE}"
  if [ ! -r "$file" ]; then
    echo "sophia-entrypoint: \${name}_FILE names $file, which cannot be read; check the secret mount" >&2
    exit 1
  fi
  value=$(cat "$file")
  export "$name=$value"
  unset "\${name}_FILE"
done
exec "$@"
`;
  return { path: inOut(layout, "docker-entrypoint.sh"), content, executable: true };
}

export function dockerignore(model: StackModel, layout: Layout): GeneratedFile {
  const lines = [
    "node_modules",
    ".git",
    ".github",
    "**/.env",
    "**/.env.*",
    "*.log",
    "test",
    "bench",
    "docs",
    "servers",
    inOut(layout, "secrets"),
    inOut(layout, "pulumi"),
  ];
  return {
    path: ".dockerignore",
    content: `${headerComment(model.source, "hash")}${lines.join("\n")}\n`,
  };
}
