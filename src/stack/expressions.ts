/**
 * `${…}` placeholders written into generated files (Compose and bake
 * variables, collector env references, GitHub expressions). Built here so no
 * string literal in the generators looks like a mistaken JS template.
 */
const DOLLAR = "$";

/** `${NAME}`, `${NAME:-default}`, `${env:NAME}`: a variable the target tool substitutes. */
export function variable(text: string): string {
  return `${DOLLAR}{${text}}`;
}

/** `${{ expression }}`: a GitHub Actions expression. */
export function gh(expression: string): string {
  return `${DOLLAR}{{ ${expression} }}`;
}
