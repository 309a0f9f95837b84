/**
 * A child started with `detached: true` leads its own process group (so its
 * own children can be stopped with it), which also means it would outlive a
 * test process that is interrupted. Until the returned function is called,
 * exiting or being stopped by SIGINT/SIGTERM kills the group first.
 */
export function guardGroup(pid: number | undefined): () => void {
  if (pid === undefined) return () => undefined;
  const onExit = () => signalGroup(pid, "SIGKILL");
  const onSignal = (signal: NodeJS.Signals) => {
    onExit();
    remove();
    process.kill(process.pid, signal);
  };
  const remove = () => {
    process.off("exit", onExit);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
  process.on("exit", onExit);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return remove;
}

/** Signals every process of the group `pid` leads; a group that is gone is fine. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}
