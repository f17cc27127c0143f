import type { Diagnosis } from '../diagnosis/diagnose.js';
import type { JsonReport } from '../schema/generated.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import type { AppliedSuppression } from './suppressions.js';

/** The machine-readable report, exactly as report-contract.md specifies (validated by schemas/report.schema.json in tests). */
export function buildJsonReport(snapshot: Snapshot, diagnosis: Diagnosis, generatedAt: Date, suppressed: ReadonlyMap<string, AppliedSuppression> = new Map()): JsonReport {
  return {
    format: 'hrp-doctor.report/v1',
    generatedAt: generatedAt.toISOString(),
    inputs: snapshot.inputs.map((i) => ({ path: i.path, kind: i.kind })),
    clusters: snapshot.clusters.map((c) => ({ name: c.name, role: c.role, input: c.identity.input, linkedBy: c.identity.linkedBy })),
    findings: diagnosis.findings.map((f) => ({
      id: f.id,
      code: f.code,
      severity: f.severity,
      cluster: f.cluster,
      ...(f.targetCluster ? { targetCluster: f.targetCluster } : {}),
      subject: f.subject,
      title: f.title,
      detail: f.detail,
      evidence: f.evidence,
      causedBy: f.causedBy,
      remediation: f.remediation,
      ...(suppressed.has(f.id) ? { suppressed: suppressed.get(f.id) } : {}),
    })),
    rootCauses: diagnosis.rootCauses,
    cycles: diagnosis.cycles.map((c) => c.members),
    problems: [
      ...snapshot.problems,
      ...diagnosis.ruleErrors.map((e) => ({ input: snapshot.inputs[0]?.path ?? '', source: '', message: `rule ${e.code} failed: ${e.message}` })),
    ],
  };
}
