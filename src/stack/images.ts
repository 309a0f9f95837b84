/**
 * Pinned third-party images. Dependabot (docker and docker-compose
 * ecosystems in the generated dependabot.yml) proposes updates to the
 * generated files; change them here so every generated stack follows.
 */
export const IMAGES = {
  /** Node 24 LTS, Debian 13 slim. */
  node: "24.21.0-trixie-slim",
  python: "3.13.9-slim-trixie",
  uv: "ghcr.io/astral-sh/uv:0.11.7",
  postgres: "pgvector/pgvector:0.8.1-pg17",
  redis: "redis:8.2.2-alpine",
  nats: "nats:2.12.1-alpine",
  n8nVersion: "1.122.3",
  traefik: "traefik:v3.5.3",
} as const;

export function n8nImage(version: string): string {
  return `docker.n8n.io/n8nio/n8n:${version}`;
}

export function n8nRunnersImage(version: string): string {
  return `n8nio/runners:${version}`;
}
