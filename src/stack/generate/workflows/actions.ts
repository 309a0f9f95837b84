/** Actions used by the generated workflows, pinned to a major version (Dependabot keeps them current). */
export const ACTIONS = {
  checkout: "actions/checkout@v5",
  setupNode: "actions/setup-node@v5",
  setupUv: "astral-sh/setup-uv@v6",
  login: "docker/login-action@v3",
  setupBuildx: "docker/setup-buildx-action@v3",
  bake: "docker/bake-action@v6",
  trivy: "aquasecurity/trivy-action@0.33.1",
  escAction: "pulumi/esc-action@v1",
  pulumi: "pulumi/actions@v6",
} as const;

/** Node version the workflows set up: the major of the pinned image tag. */
export function nodeMajor(nodeImage: string): string {
  return nodeImage.split(".")[0] ?? "24";
}
