/** deploy/pulumi/security.ts: the hardening every pod gets. */
export const SECURITY_TS = `import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";


/** Pod level: never root, default seccomp profile, volumes owned by the pod's group. */
export function podSecurityContext(runAsUser: number): k8s.types.input.core.v1.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser,
    runAsGroup: runAsUser,
    fsGroup: runAsUser,
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/** Container level: read-only root, no privilege escalation, every capability dropped. */
export function containerSecurityContext(runAsUser: number): k8s.types.input.core.v1.SecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser,
    runAsGroup: runAsUser,
    privileged: false,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/** With a read-only root file system, /tmp and every folder a process writes to is an emptyDir. */
export function writableVolumes(paths: string[]): {
  volumes: k8s.types.input.core.v1.Volume[];
  mounts: k8s.types.input.core.v1.VolumeMount[];
} {
  const all = ["/tmp", ...paths];
  return {
    volumes: all.map((_, i) => ({ name: "writable-" + i, emptyDir: { sizeLimit: "256Mi" } })),
    mounts: all.map((mountPath, i) => ({ name: "writable-" + i, mountPath })),
  };
}

/** One service account for the stack's pods, whose token is never mounted: they do not call the API server. */
export function serviceAccount(
  name: string,
  namespace: pulumi.Input<string>,
  labels: Record<string, string>,
): k8s.core.v1.ServiceAccount {
  return new k8s.core.v1.ServiceAccount(name, {
    metadata: { name, namespace, labels },
    automountServiceAccountToken: false,
  });
}
`;
