import { readInputs } from './bundle/read.js';
import { UnreadableInputError, type InputSpec, type ReaderLimits } from './bundle/types.js';
import { diagnose, type Diagnosis } from './diagnosis/diagnose.js';
import { RULES } from './rules/index.js';
import { SnapshotBuilder } from './snapshot/build.js';
import type { Snapshot } from './snapshot/snapshot.js';

export interface Analysis {
  snapshot: Snapshot;
  diagnosis: Diagnosis;
}

/** The analyzing pipeline: bundles → validated snapshot → rules → causal diagnosis. */
export async function analyzeInputs(inputs: InputSpec[], limits?: Partial<ReaderLimits>): Promise<Analysis> {
  const builder = new SnapshotBuilder(inputs);
  await readInputs(inputs, builder, limits);
  const snapshot = builder.build();
  if (snapshot.clusters.length === 0) {
    const why = (path: string) => snapshot.problems.find((p) => p.input === path && p.source === '')?.message ?? 'no cluster data found';
    throw new UnreadableInputError(inputs.map((i) => i.path).join(', '), inputs.length === 1 ? why(inputs[0]!.path) : `nothing to analyze (${inputs.map((i) => `${i.path}: ${why(i.path)}`).join('; ')})`);
  }
  return { snapshot, diagnosis: diagnose(snapshot, RULES) };
}
