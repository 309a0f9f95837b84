/**
 * deploy/pulumi/policy/index.ts: the CrossGuard pack. One file without
 * relative imports, because `pulumi preview --policy-pack` loads it through
 * ts-node in CommonJS mode, where `.ts` import paths do not resolve.
 */
export function packSource(packName: string): string {
  return `${PACK_BODY}
new PolicyPack(${JSON.stringify(packName)}, { enforcementLevel: "mandatory", policies });
`;
}

const PACK_BODY = `import * as k8s from "@pulumi/kubernetes";
import { PolicyPack, type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

interface SecurityContextLike {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
}

export interface ContainerLike {
  name?: string;
  image?: string;
  securityContext?: SecurityContextLike;
  resources?: { limits?: Record<string, unknown>; requests?: Record<string, unknown> };
  livenessProbe?: unknown;
  readinessProbe?: unknown;
}

export interface PodSpecLike {
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  containers?: ContainerLike[];
  initContainers?: ContainerLike[];
}

/** A check returns one message per offending container; none when the pod complies. */
export type Check = (spec: PodSpecLike) => string[];

function allContainers(spec: PodSpecLike): ContainerLike[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
}

function each(spec: PodSpecLike, bad: (c: ContainerLike) => string | undefined): string[] {
  const found: string[] = [];
  for (const c of allContainers(spec)) {
    const problem = bad(c);
    if (problem !== undefined) found.push("container " + (c.name ?? "?") + ": " + problem);
  }
  return found;
}

export const runsAsNonRoot: Check = (spec) =>
  each(spec, (c) => {
    const nonRoot = c.securityContext?.runAsNonRoot ?? spec.securityContext?.runAsNonRoot;
    const user = c.securityContext?.runAsUser ?? spec.securityContext?.runAsUser;
    if (user === 0) return "runs as uid 0 (root); set runAsUser to a non-zero uid";
    return nonRoot === true ? undefined : "runAsNonRoot is not true";
  });

export const readOnlyRoot: Check = (spec) =>
  each(spec, (c) =>
    c.securityContext?.readOnlyRootFilesystem === true
      ? undefined
      : "readOnlyRootFilesystem is not true; mount an emptyDir where it writes",
  );

export const dropsAllCapabilities: Check = (spec) =>
  each(spec, (c) => {
    const caps = c.securityContext?.capabilities;
    if (!(caps?.drop ?? []).includes("ALL")) return "capabilities.drop does not contain ALL";
    return (caps?.add ?? []).length > 0 ? "adds capabilities " + (caps?.add ?? []).join(",") : undefined;
  });

export const notPrivileged: Check = (spec) =>
  each(spec, (c) => {
    if (c.securityContext?.privileged === true) return "is privileged";
    return c.securityContext?.allowPrivilegeEscalation === false ? undefined : "allowPrivilegeEscalation is not false";
  });

export const hasResourceLimits: Check = (spec) =>
  each(spec, (c) => {
    const limits = c.resources?.limits ?? {};
    const missing = ["cpu", "memory"].filter((k) => limits[k] === undefined || limits[k] === "");
    return missing.length === 0 ? undefined : "no resource limit for " + missing.join(" and ");
  });

export const hasProbes: Check = (spec) =>
  (spec.containers ?? []).flatMap((c) => {
    const missing = [c.livenessProbe === undefined ? "liveness" : "", c.readinessProbe === undefined ? "readiness" : ""].filter(Boolean);
    return missing.length === 0 ? [] : ["container " + (c.name ?? "?") + ": no " + missing.join(" or ") + " probe"];
  });

/** An image needs an explicit tag other than latest, or a digest. */
export function imageTagProblem(image: string | undefined): string | undefined {
  if (image === undefined || image === "") return "has no image";
  if (image.includes("@sha256:")) return undefined;
  const lastPart = image.slice(image.lastIndexOf("/") + 1);
  const colon = lastPart.lastIndexOf(":");
  if (colon < 0) return "image " + image + " has no tag (means latest); pin a version";
  return lastPart.slice(colon + 1) === "latest" ? "image " + image + " uses the latest tag; pin a version" : undefined;
}

export const pinnedImages: Check = (spec) => each(spec, (c) => imageTagProblem(c.image));

export const CHECKS: { name: string; description: string; check: Check }[] = [
  { name: "pods-run-as-non-root", description: "Containers run as a non-root user (runAsNonRoot, uid not 0).", check: runsAsNonRoot },
  { name: "read-only-root-filesystem", description: "Containers have a read-only root file system.", check: readOnlyRoot },
  { name: "drop-all-capabilities", description: "Containers drop ALL Linux capabilities and add none.", check: dropsAllCapabilities },
  { name: "no-privileged-containers", description: "No privileged containers and no privilege escalation.", check: notPrivileged },
  { name: "resource-limits", description: "Every container has CPU and memory limits.", check: hasResourceLimits },
  { name: "probes", description: "Every container has liveness and readiness probes.", check: hasProbes },
  { name: "no-latest-image-tag", description: "Images are pinned (a tag other than latest, or a digest).", check: pinnedImages },
];

function validations(check: Check) {
  return [
    validateResourceOfType(k8s.apps.v1.Deployment, (d, _args, report) => {
      for (const message of check(d.spec?.template?.spec ?? {})) report(message);
    }),
    validateResourceOfType(k8s.apps.v1.StatefulSet, (s, _args, report) => {
      for (const message of check(s.spec?.template?.spec ?? {})) report(message);
    }),
    validateResourceOfType(k8s.core.v1.Pod, (p, _args, report) => {
      for (const message of check(p.spec ?? {})) report(message);
    }),
  ];
}

export const policies: ResourceValidationPolicy[] = CHECKS.map(({ name, description, check }) => ({
  name,
  description,
  enforcementLevel: "mandatory",
  validateResource: validations(check),
}));
`;
