/** Export of flows to other systems: an Estuary Flow catalog (flow.yaml). */
export { collectionName, ESTUARY_IMAGES, estuaryCatalog } from "./estuary.ts";
export {
  columnSchema,
  type JsonSchema,
  jsonPointer,
  tableSchema,
  typeSchema,
} from "./json-schema.ts";
export type {
  EstuaryExportOptions,
  ExportColumn,
  ExportOtherSink,
  ExportPostgresSink,
  ExportSink,
  ExportSource,
  ExportTable,
  ExportWebhookSink,
  FlowSpecForExport,
} from "./spec.ts";
