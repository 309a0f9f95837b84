/** deploy/pulumi/types.ts: the shape of the generated topology the program deploys. */
export const TYPES_TS = `/** One container's CPU and memory, as Kubernetes quantities (a type alias: it must fit a string map). */
export type Quantities = {
  cpu: string;
  memory: string;
};

export interface Resources {
  requests: Quantities;
  limits: Quantities;
}

export interface ScaleBounds {
  min: number;
  max: number;
}

/** The data services a workload connects to. */
export type DataServiceName = "postgres" | "redis" | "nats";

/** A stateless workload: one Deployment, one Service, and its policies. */
export interface Workload {
  /** Kubernetes name, app label and in-cluster DNS name. */
  name: string;
  /** Full image reference, or a repository when tagFromConfig is true. */
  image: string;
  /** True for images built by this project: the tag comes from the imageTag config. */
  tagFromConfig: boolean;
  command?: string[];
  args?: string[];
  port: number;
  replicas: number;
  /** When set, a HorizontalPodAutoscaler scales this workload between these bounds (config autoscale overrides). */
  autoscale?: ScaleBounds;
  liveness: string;
  readiness: string;
  resources: Resources;
  runAsUser: number;
  env: Record<string, string>;
  /** Keys of the application Secret passed as environment variables. */
  secretEnv: string[];
  connects: DataServiceName[];
  /** Other workloads this one calls (NetworkPolicy egress on their ports). */
  calls: string[];
  /** Reachable from the ingress controller under this host name. */
  host?: string;
  /** May open connections outside the cluster (HTTPS to upstreams, webhooks, APIs). */
  externalEgress: boolean;
  /** Writable folders besides /tmp, each an emptyDir. */
  writable: string[];
  /** Where sophia.yaml is mounted (read-only, from the ConfigMap); not mounted when absent. */
  configPath?: string;
}

export interface DataImages {
  postgres: string;
  redis: string;
  nats: string;
}

export interface Topology {
  project: string;
  source: string;
  namespace: string;
  domain: string;
  dataServices: DataServiceName[];
  dataImages: DataImages;
  /** Environment variable name to Pulumi config key, for secrets held in Pulumi ESC. */
  secrets: Record<string, string>;
  workloads: Workload[];
}
`;
