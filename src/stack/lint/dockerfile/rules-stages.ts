/** Rules about stages and images: base image pins, the final user, COPY --from, HEALTHCHECK. */
import type { Copy } from "dockerfile-ast";
import { hasVariable, unpinnedReason } from "../image-ref.ts";
import { argumentsText, type DockerfileContext, instructionsOf, type Stage } from "./context.ts";

/** Replaces $VAR / ${VAR} / ${VAR:-x} with global ARG defaults; undefined when one has none. */
export function resolveArgs(
  text: string,
  args: Map<string, string | undefined>,
): string | undefined {
  let missing = false;
  const resolved = text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-+]([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (
      _match,
      braced: string | undefined,
      fallback: string | undefined,
      bare: string | undefined,
    ) => {
      const value = args.get(braced ?? bare ?? "") ?? fallback;
      if (value === undefined) missing = true;
      return value ?? "";
    },
  );
  return missing ? undefined : resolved;
}

function earlierStage(context: DockerfileContext, before: number, name: string): Stage | undefined {
  const lower = name.toLowerCase();
  return context.stages
    .slice(0, before)
    .find((stage) => stage.name === lower || String(stage.index) === name);
}

/** SDF002: every FROM names a stage, scratch, or an image pinned by tag or digest. */
export function baseImagePinned(context: DockerfileContext): void {
  for (const stage of context.stages) {
    const image = stage.from.getImage();
    if (!image) continue;
    if (earlierStage(context, stage.index, image) || image.toLowerCase() === "scratch") continue;
    // Tags from ARGs without a default are chosen at build time: nothing to check here.
    const resolved = hasVariable(image) ? resolveArgs(image, context.globalArgs) : image;
    if (resolved === undefined) continue;
    const reason = unpinnedReason(resolved);
    const place = stage.from.getImageRange() ?? stage.from.getRange();
    if (reason) context.report("SDF002", place, `base image ${reason}`);
  }
}

function userOf(context: DockerfileContext, stage: Stage, seen = 0): string | undefined {
  const last = instructionsOf(stage, "USER").at(-1);
  if (last) return argumentsText(last).trim();
  const parent = earlierStage(context, stage.index, stage.from.getImage() ?? "");
  return parent && seen < context.stages.length ? userOf(context, parent, seen + 1) : undefined;
}

/** SDF001: the last stage sets a USER (itself or through the stage it starts from) that is not root. */
export function finalUserNotRoot(context: DockerfileContext): void {
  const stage = context.stages.at(-1);
  if (!stage) return;
  const user = userOf(context, stage);
  if (user === undefined) {
    context.report(
      "SDF001",
      stage.from.getRange(),
      "the final stage sets no USER, so it runs as root",
    );
    return;
  }
  const name = user.split(":")[0] ?? "";
  if (name === "root" || name === "0") {
    const last = instructionsOf(stage, "USER").at(-1) ?? stage.from;
    context.report("SDF001", last.getRange(), `the final stage runs as ${user}`);
  }
}

/** SDF010: a production image's final stage has a HEALTHCHECK (not NONE). */
export function healthcheckInProd(context: DockerfileContext): void {
  const stage = context.stages.at(-1);
  if (!context.prod || !stage) return;
  const check = instructionsOf(stage, "HEALTHCHECK").at(-1);
  if (!check) {
    context.report("SDF010", stage.from.getRange(), "the production image has no HEALTHCHECK");
  } else if (/^NONE$/i.test(argumentsText(check).trim())) {
    context.report("SDF010", check.getRange(), "the production image disables its HEALTHCHECK");
  }
}

/** SDF011: COPY --from names an earlier stage (by name or index) or a pinned image. */
export function copyFromKnown(context: DockerfileContext): void {
  for (const stage of context.stages) {
    for (const copy of instructionsOf(stage, "COPY") as Copy[]) {
      const flag = copy.getFromFlag();
      const source = flag?.getValue();
      if (!flag || !source || earlierStage(context, stage.index, source)) continue;
      const place = flag.getValueRange() ?? flag.getRange();
      const later = context.stages.find(
        (s) => s.name === source.toLowerCase() || String(s.index) === source,
      );
      if (later) {
        context.report("SDF011", place, `COPY --from=${source} names this stage or a later one`);
        continue;
      }
      const reason = hasVariable(source) ? undefined : unpinnedReason(source);
      if (reason) {
        context.report(
          "SDF011",
          place,
          `COPY --from=${source} is not a stage above, and ${reason}`,
        );
      }
    }
  }
}
