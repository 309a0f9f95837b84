/** The stack part: sophia.yaml → deployment files, and Python MCP server scaffolds. */
export { type StackModelOptions, stackModel } from "./deploy-config.ts";
export { DEPLOY_KEYS, type DeploySection, deploySchema } from "./deploy-schema.ts";
export { type GenerateOptions, generateStack, type Renderer } from "./generate/index.ts";
export { headerComment, headerText } from "./header.ts";
export { IMAGES } from "./images.ts";
export type { Environment, GeneratedFile, PythonServer, StackModel } from "./model.ts";
export { renderPulumi } from "./pulumi/index.ts";
export { addPythonServer, type NewServer } from "./python/add-to-config.ts";
export { packageName, type ScaffoldOptions, scaffoldPythonServer } from "./python/scaffold.ts";
export { configVariables } from "./variables.ts";
export {
  checkGenerated,
  type DriftReport,
  isGenerated,
  type WriteReport,
  writeGenerated,
} from "./write.ts";
