/** The sample project every generate test renders. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseConfigText } from "../../../src/config/index.ts";
import {
  configVariables,
  type GeneratedFile,
  generateStack,
  renderPulumi,
  type StackModel,
  stackModel,
} from "../../../src/stack/index.ts";

export const SAMPLE_DIR = fileURLToPath(new URL("../../fixtures/stack/sample/", import.meta.url));
export const SAMPLE_ENV = {
  SEARCH_TOKEN: "t",
  DATABASE_URL: "postgres://db",
  N8N_HMAC_SECRET: "s",
};

export function sampleModel(text = readFileSync(`${SAMPLE_DIR}sophia.yaml`, "utf8")): StackModel {
  const config = parseConfigText(text, { file: `${SAMPLE_DIR}sophia.yaml`, env: SAMPLE_ENV });
  return stackModel(config, { source: "sophia.yaml", variables: configVariables(text) });
}

export function sampleFiles(): GeneratedFile[] {
  return generateStack(sampleModel(), { extra: [renderPulumi] });
}

export function fileNamed(files: GeneratedFile[], path: string): GeneratedFile {
  const file = files.find((candidate) => candidate.path === path);
  if (file === undefined) throw new Error(`${path} was not generated`);
  return file;
}
