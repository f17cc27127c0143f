import { availableParallelism } from 'node:os';
import { readInputs } from './bundle/read.js';
import { UnreadableInputError, type InputSpec, type ParallelParsing, type ReadProgress, type ReaderLimits } from './bundle/types.js';
import { diagnose, type Diagnosis } from './diagnosis/diagnose.js';
import { PARSE_WORKER_ROLE, type ParseWorkerData } from './parse-worker.js';
import { RULES } from './rules/index.js';
import { SnapshotBuilder } from './snapshot/build.js';
import { eventPolicyFor } from './snapshot/event-interest.js';
import type { Snapshot } from './snapshot/snapshot.js';

export interface Analysis {
  snapshot: Snapshot;
  diagnosis: Diagnosis;
}

export interface AnalyzeOptions {
  limits?: Partial<ReaderLimits>;
  /**
   * Parse JSON files of at least this many bytes in a worker thread (the second core); absent:
   * everything on the main thread. See parseWorkerFrom().
   */
  parseWorkerMinBytes?: number;
  /** Called as reading goes on (after each entry), then once when the rules start. */
  progress?: (progress: AnalyzeProgress) => void;
}

export type AnalyzeProgress = ({ phase: 'reading' } & ReadProgress) | { phase: 'diagnosing'; objects: number };

/** JSON files from this size go to the parsing worker by default: below it, the round trip costs more than it saves. */
export const DEFAULT_PARSE_WORKER_MIN_BYTES = 1 << 20;

declare global {
  // Set by the single-file build's banner: the bundle file itself, which is also the worker's script.
  var __HRP_DOCTOR_ENTRY_URL__: string | undefined;
}

/**
 * The parsing worker's script: dist/parse-worker.js next to this module, or the single-file build
 * itself. Undefined where neither can run (the TypeScript sources under a test runner).
 */
function parseWorkerScript(): URL | undefined {
  if (globalThis.__HRP_DOCTOR_ENTRY_URL__) return new URL(globalThis.__HRP_DOCTOR_ENTRY_URL__);
  const here = new URL(import.meta.url);
  return here.pathname.endsWith('.js') ? new URL('./parse-worker.js', here) : undefined;
}

/**
 * CPUs from which the parsing worker is on by default. With two, V8's parallel garbage collection
 * and zlib's thread already use most of the second core: measured at 150,000 pods on two cores, the
 * worker saves 1–3 % of the time for 25 % more CPU (docs/benchmarks.md), so it waits for more cores.
 */
export const PARSE_WORKER_MIN_CPUS = 4;

/** Whether a parsing worker can run here, and is worth it by default (enough CPUs) unless `forced`. */
export function parseWorkerAvailable(forced = false): boolean {
  return (forced || availableParallelism() >= PARSE_WORKER_MIN_CPUS) && parseWorkerScript() !== undefined;
}

/** The analyzing pipeline: bundles → validated snapshot → rules → causal diagnosis. */
export async function analyzeInputs(inputs: InputSpec[], options: AnalyzeOptions = {}): Promise<Analysis> {
  // Normal events no rule reads are only counted (snapshot/event-interest.ts).
  const eventPolicy = eventPolicyFor(RULES.map((rule) => rule.meta.events));
  const builder = new SnapshotBuilder(inputs, eventPolicy);
  const script = options.parseWorkerMinBytes === undefined ? undefined : parseWorkerScript();
  const parallel: ParallelParsing | undefined = script
    ? { worker: script, workerData: { role: PARSE_WORKER_ROLE, eventPolicy } satisfies ParseWorkerData, minFileBytes: options.parseWorkerMinBytes! }
    : undefined;
  const progress = options.progress;
  await readInputs(inputs, builder, options.limits, { ...(parallel ? { parallel } : {}), ...(progress ? { progress: (p: ReadProgress) => progress({ phase: 'reading', ...p }) } : {}) });
  const snapshot = builder.build();
  progress?.({ phase: 'diagnosing', objects: snapshot.clusters.reduce((n, c) => n + c.objectCount, 0) });
  if (snapshot.clusters.length === 0) {
    const why = (path: string) => snapshot.problems.find((p) => p.input === path && p.source === '')?.message ?? 'no cluster data found';
    throw new UnreadableInputError(inputs.map((i) => i.path).join(', '), inputs.length === 1 ? why(inputs[0]!.path) : `nothing to analyze (${inputs.map((i) => `${i.path}: ${why(i.path)}`).join('; ')})`);
  }
  return { snapshot, diagnosis: diagnose(snapshot, RULES) };
}
