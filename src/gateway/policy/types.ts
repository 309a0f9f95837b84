/** Policy rules as the gateway uses them after validation (see config.ts for the YAML form). */
export type Effect = "allow" | "deny";
export type TargetKind = "tool" | "prompt" | "resource";

/** Limits on one argument of a tools/call; every given limit must hold. */
export interface ArgumentConstraint {
  /** Allowed values (compared as JSON). */
  values?: unknown[];
  /** The whole string value must match (the pattern is anchored). */
  pattern?: RegExp;
  maxLength?: number;
  min?: number;
  max?: number;
}

export interface Rule {
  /** Shown in refusals and logs: the configured name, or `rules[<index>]`. */
  name: string;
  effect: Effect;
  servers: string[];
  kinds: TargetKind[];
  /** Globs on upstream-side names (URIs for resources); matched case-insensitively after NFKC. */
  names: string[];
  /** Who the rule is about; an empty list means anyone. All non-empty lists must match. */
  subjects: string[];
  roles: string[];
  scopes: string[];
  keyIds: string[];
  arguments: Record<string, ArgumentConstraint>;
}

export interface Policies {
  rules: Rule[];
  /** What happens when no rule matches; undefined: allow for servers no rule names, deny otherwise. */
  default: Effect | undefined;
}

export interface Target {
  server: string;
  kind: TargetKind;
  name: string;
  arguments?: Readonly<Record<string, unknown>> | undefined;
}

export interface Decision {
  allowed: boolean;
  /** The rule that decided, or undefined for the default. */
  rule: string | undefined;
  reason: string;
}
