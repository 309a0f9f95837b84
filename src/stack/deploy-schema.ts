/**
 * The `deploy:` section of sophia.yaml. Every key is optional; `stackModel`
 * fills the defaults. Numbers also accept strings because `${VAR}` always
 * produces a string.
 */
import { z } from "zod";

const NAME = /^[a-z0-9]([a-z0-9-]{0,48}[a-z0-9])?$/;
const nameMessage = "expected a lowercase name of letters, digits and - (at most 50 characters)";

function count(min: number, max: number) {
  return z
    .union([
      z.number(),
      z
        .string()
        .regex(/^\s*\d+\s*$/)
        .transform(Number),
    ])
    .pipe(z.number().int().min(min).max(max))
    .describe(`an integer from ${min} to ${max}`);
}

export const pythonServerSchema = z.strictObject({
  name: z.string().regex(NAME, nameMessage),
  /** Folder holding pyproject.toml, relative to the project root; default servers/<name>. */
  path: z.string().min(1).optional(),
  port: count(1, 65535).optional(),
});

const n8nSchema = z.union([
  z.boolean(),
  z.strictObject({
    enabled: z.boolean().optional(),
    workers: count(1, 32).optional(),
    version: z
      .string()
      .regex(/^\d+\.\d+\.\d+$/, "expected an n8n version like 1.2.3")
      .optional(),
  }),
]);

export const deploySchema = z.strictObject({
  name: z.string().regex(NAME, nameMessage).optional(),
  /** GitHub owner (user or organisation) of the image on ghcr.io. */
  owner: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, "expected a lowercase GitHub owner")
    .optional(),
  image: z
    .string()
    .regex(
      /^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+$/,
      "expected an image repository like ghcr.io/acme/sophia",
    )
    .optional(),
  nodeImage: z
    .string()
    .regex(
      /^24\.\d+\.\d+-[a-z]+-slim$/,
      "expected a pinned Node 24 slim tag like 24.21.0-trixie-slim",
    )
    .optional(),
  pythonImage: z
    .string()
    .regex(/^3\.\d+(\.\d+)?-slim(-[a-z]+)?$/, "expected a Python slim tag like 3.13.9-slim-trixie")
    .optional(),
  replicas: count(1, 100).optional(),
  flowReplicas: count(1, 1).optional(),
  domain: z
    .string()
    .regex(/^[a-z0-9.-]+$/, "expected a host name like sophia.example.com")
    .optional(),
  acmeEmail: z.email().optional(),
  n8n: n8nSchema.optional(),
  /** Runs flows with NATS JetStream as the durable log between capture and sinks. */
  distributed: z.boolean().optional(),
  pythonServers: z.array(pythonServerSchema).optional(),
  environments: z.array(z.enum(["dev", "prod"])).optional(),
  kubernetes: z
    .strictObject({
      namespace: z.string().regex(NAME, nameMessage).optional(),
      minReplicas: count(1, 100).optional(),
      maxReplicas: count(1, 1000).optional(),
    })
    .optional(),
  pulumi: z
    .strictObject({
      project: z.string().regex(NAME, nameMessage).optional(),
      stack: z
        .string()
        .regex(/^[a-z0-9._-]+$/, "expected a stack name like prod")
        .optional(),
      escEnvironment: z
        .string()
        .regex(/^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+$/, "expected <project>/<environment>")
        .optional(),
    })
    .optional(),
  /** Docker Build Cloud builder as "<org>/<builder>". */
  buildCloud: z
    .string()
    .regex(/^[a-z0-9._-]+\/[a-z0-9._-]+$/, "expected <org>/<builder>")
    .optional(),
  platforms: z
    .array(z.enum(["linux/amd64", "linux/arm64"]))
    .min(1)
    .optional(),
  /** Extra secret names (lowercase snake_case) handed to the gateway and flow as *_FILE variables. */
  secrets: z
    .array(z.string().regex(/^[a-z][a-z0-9_]*$/, "expected a lowercase snake_case secret name"))
    .optional(),
});

export type DeploySection = z.infer<typeof deploySchema>;
export type PythonServerEntry = z.infer<typeof pythonServerSchema>;

export const DEPLOY_KEYS = Object.keys(deploySchema.shape);
