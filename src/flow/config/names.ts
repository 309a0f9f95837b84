/** Default names of the replication objects a flow owns. */

/** PostgreSQL identifiers for slots: lower-case letters, digits and underscores, at most 63 bytes. */
export function defaultSlotName(flow: string): string {
  return `sophia_${flow.toLowerCase().replace(/[^a-z0-9_]/g, "_")}`.slice(0, 63);
}

export function defaultPublicationName(flow: string): string {
  return defaultSlotName(flow);
}

export const FLOW_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,55}$/;
export const SLOT_NAME = /^[a-z0-9_]{1,63}$/;
