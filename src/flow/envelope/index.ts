/** Envelopes: how a change event looks on the wire for sinks that publish it. */
export {
  DEBEZIUM_SOURCE_VERSION,
  type DebeziumEnvelope,
  type DebeziumOp,
  type DebeziumOptions,
  toDebezium,
} from "./debezium.ts";
export { type JsonEnvelope, toJson } from "./json.ts";
