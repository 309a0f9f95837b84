/** What a command may use of the outside world; tests pass their own. */
export interface Io {
  /** One line of the command's output (stdout). */
  out(line: string): void;
  /** Progress and diagnostics (stderr), written as given: no newline is added. */
  err(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
}
