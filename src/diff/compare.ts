import type { Analysis } from '../analyze.js';
import type { Finding } from '../diagnosis/diagnose.js';
import { condition } from '../snapshot/conditions.js';
import type { Snapshot } from '../snapshot/snapshot.js';

/** What changed between two analyses of the same clusters, at the level of findings and of key objects. */
export interface DiffReport {
  format: 'hrp-doctor.diff/v1';
  generatedAt: string;
  before: { inputs: string[]; errors: number; warnings: number };
  after: { inputs: string[]; errors: number; warnings: number };
  resolved: DiffFinding[];
  new: DiffFinding[];
  unchanged: DiffFinding[];
  objects: ObjectChange[];
}

export interface DiffFinding {
  code: string;
  severity: string;
  cluster: string;
  subject: string;
  title: string;
}

export interface ObjectChange {
  cluster: string;
  kind: 'HelmReleaseProxy' | 'Pod' | 'Node';
  name: string;
  before: string;
  after: string;
}

/** Findings are the same finding when code, cluster and subject agree (ids differ between runs). */
const identity = (f: Finding) => `${f.code}|${f.cluster}|${f.subject.kind}|${f.subject.namespace ?? ''}|${f.subject.name}`;
const subjectOf = (f: Finding) => `${f.subject.kind} ${f.subject.namespace ? `${f.subject.namespace}/` : ''}${f.subject.name}`;
const view = (f: Finding): DiffFinding => ({ code: f.code, severity: f.severity, cluster: f.cluster, subject: subjectOf(f), title: f.title });

function hrpStates(snapshot: Snapshot): Map<string, string> {
  const states = new Map<string, string>();
  for (const cluster of snapshot.clusters) {
    for (const hrp of cluster.list('HelmReleaseProxy')) {
      const ready = condition(hrp, 'Ready');
      states.set(`${cluster.name}|${hrp.metadata.namespace ?? ''}/${hrp.metadata.name}`, `${hrp.status?.status ?? '?'}, Ready=${ready?.status ?? '?'}${ready?.status !== 'True' && ready?.reason ? ` (${ready.reason})` : ''}`);
    }
  }
  return states;
}

function podStates(snapshot: Snapshot, names: Set<string>): Map<string, string> {
  const states = new Map<string, string>();
  for (const cluster of snapshot.clusters) {
    for (const pod of cluster.list('Pod')) {
      const key = `${cluster.name}|${pod.metadata.namespace ?? ''}/${pod.metadata.name}`;
      if (!names.has(key)) continue;
      const statuses = pod.status?.containerStatuses ?? [];
      const waiting = statuses.find((s) => s.state?.waiting?.reason)?.state?.waiting?.reason;
      states.set(key, `${statuses.filter((s) => s.ready).length}/${pod.spec.containers.length} ready, ${waiting ?? pod.status?.phase ?? '?'}`);
    }
  }
  return states;
}

function nodeTaints(snapshot: Snapshot): Map<string, string> {
  const taints = new Map<string, string>();
  for (const cluster of snapshot.clusters) {
    for (const node of cluster.list('Node')) {
      taints.set(`${cluster.name}|${node.metadata.name}`, (node.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).sort().join(', ') || '(none)');
    }
  }
  return taints;
}

function changes(kind: ObjectChange['kind'], before: Map<string, string>, after: Map<string, string>): ObjectChange[] {
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  return keys.flatMap((key) => {
    const [cluster = '', name = ''] = key.split('|');
    const was = before.get(key) ?? '(absent)';
    const now = after.get(key) ?? '(absent)';
    return was === now ? [] : [{ cluster, kind, name, before: was, after: now }];
  });
}

export function compareAnalyses(before: Analysis, after: Analysis, inputs: { before: string[]; after: string[] }, now: Date): DiffReport {
  const beforeById = new Map(before.diagnosis.findings.map((f) => [identity(f), f]));
  const afterById = new Map(after.diagnosis.findings.map((f) => [identity(f), f]));
  const count = (a: Analysis, severity: string) => a.diagnosis.findings.filter((f) => f.severity === severity).length;
  // Pods are compared where either side found something wrong with them: the rest is noise.
  const podKeys = new Set(
    [...before.diagnosis.findings, ...after.diagnosis.findings]
      .filter((f) => f.subject.kind === 'Pod')
      .map((f) => `${f.cluster}|${f.subject.namespace ?? ''}/${f.subject.name}`),
  );
  return {
    format: 'hrp-doctor.diff/v1',
    generatedAt: now.toISOString(),
    before: { inputs: inputs.before, errors: count(before, 'error'), warnings: count(before, 'warning') },
    after: { inputs: inputs.after, errors: count(after, 'error'), warnings: count(after, 'warning') },
    resolved: [...beforeById].filter(([k]) => !afterById.has(k)).map(([, f]) => view(f)),
    new: [...afterById].filter(([k]) => !beforeById.has(k)).map(([, f]) => view(f)),
    unchanged: [...afterById].filter(([k]) => beforeById.has(k)).map(([, f]) => view(f)),
    objects: [
      ...changes('HelmReleaseProxy', hrpStates(before.snapshot), hrpStates(after.snapshot)),
      ...changes('Pod', podStates(before.snapshot, podKeys), podStates(after.snapshot, podKeys)),
      ...changes('Node', nodeTaints(before.snapshot), nodeTaints(after.snapshot)),
    ],
  };
}
