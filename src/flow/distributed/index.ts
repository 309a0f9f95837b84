/** Distributed flows: one capture publishing to JetStream, sink workers consuming it (see docs/flow.md). */
export { PUBLISHER, publisherFor, runDistributedCapture } from "./capture.ts";
export { consumerConfig, consumerName, ensureConsumer } from "./consumer.ts";
export { eventFromJson } from "./event-codec.ts";
export { LeaderLock, lockKey } from "./leader-lock.ts";
export { distributedOf, runSinkWorker, workerRole } from "./worker.ts";
