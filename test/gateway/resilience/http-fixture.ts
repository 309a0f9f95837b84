import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { NODE } from "../../support/gateway-harness.ts";
import { HTTP_FIXTURE } from "./support.ts";

/** One HTTP fixture server process on a free port; `stop()` kills it. */
export async function startHttpFixture(): Promise<{ port: number; pid: number; stop(): void }> {
  const child: ChildProcess = spawn(NODE, [HTTP_FIXTURE], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("HTTP fixture did not start in 10 s")), 10_000);
    child.once("exit", (code) => reject(new Error(`HTTP fixture exited with ${code}`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const match = /^listening (\d+)$/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
  });
  return { port, pid: child.pid ?? 0, stop: () => void child.kill("SIGKILL") };
}
