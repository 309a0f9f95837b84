/**
 * Just enough shell reading for RUN checks: split a script into simple
 * commands (at &&, ||, ;, | and newlines) and each command into words, quotes
 * removed. Not a shell parser: it errs towards seeing a command where a quoted
 * string only looks like one, which costs a false finding, never a missed one.
 */

/** Removes quoted text (keeps the quotes empty) so operators inside strings are not seen. */
function blankQuotes(script: string): string {
  return script.replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, (quoted) =>
    quoted.startsWith("'") ? "''" : '""',
  );
}

export function splitCommands(script: string): string[][] {
  const commands: string[][] = [];
  for (const part of script.split(/&&|\|\||;|\||\n/)) {
    const words = part
      .trim()
      .split(/\s+/)
      .filter((word) => word !== "")
      .map((word) => word.replace(/^['"]|['"]$/g, ""));
    // `VAR=value command …` runs command with VAR set.
    while (words.length > 1 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0] ?? "")) words.shift();
    if (words.length > 0) commands.push(words);
  }
  return commands;
}

/** True when the script pipes one command into another (`|`, not `||`). */
export function hasPipe(script: string): boolean {
  return /(^|[^|])\|(?!\|)/.test(blankQuotes(script).replace(/\|\|/g, "  "));
}

/** The arguments after `<program> <subcommand>` (e.g. apk add …), or undefined when it is another command. */
export function argsOf(
  command: string[],
  program: RegExp,
  subcommand: string,
): string[] | undefined {
  const start = command[0] === "sudo" ? 1 : 0;
  const name = (command[start] ?? "").split("/").at(-1) ?? "";
  if (!program.test(name)) return undefined;
  const rest = command.slice(start + 1);
  const at = rest.indexOf(subcommand);
  return at < 0 ? undefined : rest.slice(at + 1);
}
