/**
 * Which files the linter reads, and how Compose files form merge sets: like
 * `docker compose`, a folder's compose.yaml is merged with compose.override.yaml
 * by default, or with compose.<env>.yaml under --env. Pure: names in, names out.
 */

export type FileKind = "dockerfile" | "compose";

const COMPOSE_NAME = /^(docker-)?compose(\.[^/]+)?\.ya?ml$/i;
const DOCKERFILE_NAME = /^(Dockerfile(\..+)?|.+\.Dockerfile)$/i;
const BASES = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"];

/** The kind of a file found while searching a folder, or undefined to skip it. */
export function kindOf(name: string): FileKind | undefined {
  if (COMPOSE_NAME.test(name)) return "compose";
  if (DOCKERFILE_NAME.test(name) && !/\.(md|txt|ts|js|json|ignore)$/i.test(name))
    return "dockerfile";
  return undefined;
}

/** The kind of a file named on the command line: any name is accepted, YAML is Compose. */
export function kindOfNamed(name: string): FileKind {
  return kindOf(name) ?? (/\.ya?ml$/i.test(name) ? "compose" : "dockerfile");
}

/** "prod" in a file name (Dockerfile.prod, compose.prod.yaml, prod.Dockerfile, …). */
export function namesProd(name: string): boolean {
  return /(^|[._-])prod(uction)?([._-]|$)/i.test(name);
}

/** The override part of "compose.<x>.yaml" / "docker-compose.<x>.yml", when the file has one. */
function overrideName(name: string): string | undefined {
  return /^(?:docker-)?compose\.(.+)\.ya?ml$/i.exec(name)?.[1];
}

function family(name: string): string {
  return name.toLowerCase().startsWith("docker-") ? "docker-compose" : "compose";
}

/**
 * Merge sets for the Compose files of one folder (`names`: file names in it).
 * Without env: base + override file, and base + each other compose.<x>.yaml,
 * so every file is checked in the context it is used in. With env: base +
 * compose.<env>.yaml only. compose.* and docker-compose.* files are separate
 * families, each with its own base; files with no base stand alone.
 */
export function composeSets(names: readonly string[], env: string | undefined): string[][] {
  const families = ["compose", "docker-compose"];
  return families.flatMap((name) =>
    familySets(
      names.filter((n) => family(n) === name),
      env,
    ),
  );
}

function familySets(names: readonly string[], env: string | undefined): string[][] {
  const base = BASES.find((candidate) => names.includes(candidate));
  if (!base) return names.map((name) => [name]);
  const overrides = names.filter((name) => name !== base && overrideName(name) !== undefined);
  const standalone = names.filter((name) => name !== base && !overrides.includes(name));
  const pick = (x: string) => overrides.filter((name) => overrideName(name) === x);
  const sets: string[][] = [];
  if (env !== undefined) sets.push([base, ...pick(env)]);
  else {
    sets.push([base, ...pick("override")]);
    for (const name of overrides) {
      if (overrideName(name) !== "override") sets.push([base, name]);
    }
  }
  return [...sets, ...standalone.map((name) => [name])];
}
