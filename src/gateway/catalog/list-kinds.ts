/** The four list kinds the gateway aggregates, and how each is spelled on the wire. */
export type ListKind = "tools" | "prompts" | "resources" | "resourceTemplates";

export const LIST_KINDS: readonly ListKind[] = [
  "tools",
  "prompts",
  "resources",
  "resourceTemplates",
];

export const LIST_METHOD: Record<ListKind, string> = {
  tools: "tools/list",
  prompts: "prompts/list",
  resources: "resources/list",
  resourceTemplates: "resources/templates/list",
};

/** The server capability that says a kind is offered at all. */
export const LIST_CAPABILITY: Record<ListKind, string> = {
  tools: "tools",
  prompts: "prompts",
  resources: "resources",
  resourceTemplates: "resources",
};

/** The list-changed notification that invalidates each kind. */
export const LIST_CHANGED: Record<string, ListKind[]> = {
  "notifications/tools/list_changed": ["tools"],
  "notifications/prompts/list_changed": ["prompts"],
  "notifications/resources/list_changed": ["resources", "resourceTemplates"],
};

export type ListItem = Record<string, unknown>;
