import { readInputs } from './bundle/read.js';
import type { InputSpec, ReaderLimits } from './bundle/types.js';
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
  return { snapshot, diagnosis: diagnose(snapshot, RULES) };
}
