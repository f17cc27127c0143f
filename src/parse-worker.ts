/**
 * The parsing worker thread (bundle/json-worker.ts): it parses large JSON files of the bundle and
 * prepares their elements for the snapshot (snapshot/prepare.ts). Loaded as a worker script, it
 * starts serving; imported on the main thread (the single-file build bundles it), it does nothing.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { serveJsonParsing } from './bundle/json-worker.js';
import { eventFilter, type EventPolicy } from './snapshot/event-interest.js';
import { prepareObject } from './snapshot/prepare.js';

export const PARSE_WORKER_ROLE = 'hrp-doctor-parse-worker';

export interface ParseWorkerData {
  role: typeof PARSE_WORKER_ROLE;
  /** The same policy as the main thread's SnapshotBuilder: the worker prepares what it would. */
  eventPolicy: EventPolicy;
}

const data = workerData as Partial<ParseWorkerData> | null;
if (!isMainThread && parentPort && data?.role === PARSE_WORKER_ROLE && data.eventPolicy) {
  const keepEvent = eventFilter(data.eventPolicy);
  serveJsonParsing(parentPort, (raw) => prepareObject(raw, keepEvent));
}
