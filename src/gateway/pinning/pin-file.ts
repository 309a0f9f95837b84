import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { SophiaError } from "../../shared/errors.ts";
import { EMPTY_PINS, type Pins } from "./pins.ts";

/** Reads the pin file; a missing file is no pins yet. */
export async function readPins(path: string): Promise<Pins> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return EMPTY_PINS;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Pins;
    if (parsed.version !== 1 || typeof parsed.tools !== "object" || parsed.tools === null)
      throw new Error("not a version 1 pin file");
    return parsed;
  } catch (error) {
    throw new SophiaError(
      "CONFIG_INVALID",
      `the tool pin file ${path} is not valid: ${(error as Error).message}`,
      {
        hint: "fix or delete it (deleting re-pins every tool as it is now)",
        cause: error,
      },
    );
  }
}

/** Writes through a temporary file and a rename: a reader never sees half a file. */
export async function writePins(path: string, pins: Pins): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(pins, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, path);
}
