import type { ClusterView } from '../snapshot/cluster.js';
import type { KindName } from '../snapshot/kinds.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import type { FindingDraft, Rule } from './types.js';

interface Needed {
  kind: KindName;
  /** Resource names as bundles name their files (`pods`, `helmreleaseproxies.addons.cluster.x-k8s.io`). */
  resource: string;
  why: string;
}

/** What the analysis cannot do without, per cluster role (report-contract.md). */
const NEEDED: Record<'management' | 'workload', Needed[]> = {
  management: [
    { kind: 'HelmChartProxy', resource: 'helmchartproxies.addons.cluster.x-k8s.io', why: 'HelmChartProxies cannot be checked' },
    { kind: 'HelmReleaseProxy', resource: 'helmreleaseproxies.addons.cluster.x-k8s.io', why: 'failed add-on releases cannot be found' },
    { kind: 'Cluster', resource: 'clusters.cluster.x-k8s.io', why: 'workload clusters cannot be linked to their add-ons' },
  ],
  workload: [
    { kind: 'Node', resource: 'nodes', why: 'taints and node health cannot be checked' },
    { kind: 'Pod', resource: 'pods', why: 'crashing, pending and unschedulable pods cannot be found' },
    { kind: 'Event', resource: 'events', why: 'probe failures, scheduling and image pull errors cannot be read' },
  ],
};

const sameResource = (a: string, b: string) => a === b || a.split('.')[0] === b.split('.')[0];

function gaps(cluster: ClusterView): { needed: Needed; error?: string }[] {
  const role = cluster.role === 'management' ? 'management' : 'workload';
  return NEEDED[role].flatMap((needed) => {
    const error = cluster.collectionErrors.find((e) => sameResource(e.resource, needed.resource));
    if (error) return [{ needed, error: `${error.namespace ? `namespace ${error.namespace}: ` : ''}${error.message}` }];
    const present = cluster.count(needed.kind) > 0 || [...cluster.resourcesSeen].some((r) => sameResource(r, needed.resource));
    return present ? [] : [{ needed }];
  });
}

function check(snapshot: Snapshot): FindingDraft[] {
  const findings: FindingDraft[] = snapshot.clusters.flatMap((cluster) => {
    const missing = gaps(cluster);
    if (missing.length === 0) return [];
    return [{
      code: rule.meta.code,
      severity: rule.meta.severity,
      cluster: cluster.name,
      subject: { kind: 'Bundle', name: cluster.name },
      title: `The bundle lacks ${missing.map((m) => m.needed.resource.split('.')[0]).join(', ')} of ${cluster.role} cluster ${cluster.name}`,
      detail: missing.map((m) => `${m.needed.resource}: ${m.error ? `not collected (${m.error})` : 'absent'}, so ${m.needed.why}.`).join(' ') +
        ' Missing data is not evidence of health: re-collect with permissions to read these resources.',
      evidence: missing.map((m) => ({ source: cluster.identity.input, text: m.error ?? `no ${m.needed.resource} in the bundle` })),
      remediation: [{ text: 'Collect again with an account that can list these resources (check with kubectl auth can-i list <resource>)' }],
      facts: {},
    }];
  });
  const workloads = snapshot.workloadClusters();
  if (snapshot.managementClusters().length === 0 && workloads.length > 0) {
    const first = workloads[0]!;
    findings.push({
      code: rule.meta.code,
      severity: 'info',
      cluster: first.name,
      subject: { kind: 'Bundle', name: first.name },
      title: 'No management cluster in the input: HelmReleaseProxies and HelmChartProxies were not checked',
      detail: 'Only workload-cluster data was given. Add the management cluster\'s bundle (analyze mgmt.tgz workload.tgz) to tie failures to the add-ons they break.',
      evidence: [{ source: first.identity.input, text: 'no cluster holds CAPI Clusters or HelmChartProxies' }],
      remediation: [],
      facts: {},
    });
  }
  return findings;
}

export const rule: Rule = {
  meta: {
    code: 'COLLECTION_INCOMPLETE',
    severity: 'warning',
    title: 'Bundle lacks data the analysis needs',
    docs: 'Collection errors for, or absence of, HelmChartProxies, HelmReleaseProxies and Clusters (management) or nodes, pods and events (workload). What is missing is reported, never taken for health.',
  },
  check,
};
