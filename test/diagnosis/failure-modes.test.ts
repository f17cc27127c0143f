import { describe, expect, it } from 'vitest';
import { CAUSAL_LINKS } from '../../src/diagnosis/causes.js';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import { RULES } from '../../src/rules/index.js';
import type { FindingDraft, Rule } from '../../src/rules/types.js';
import { snapshotOf } from '../fixtures/snapshot.js';

const W = 'wl';
const M = 'mgmt';
const draft = (code: string, name: string, facts: FindingDraft['facts'], cluster = W, severity: FindingDraft['severity'] = 'error'): FindingDraft => ({
  code, severity, cluster, subject: { kind: 'X', namespace: 'ns', name }, title: `${code} ${name}`, detail: '', evidence: [], remediation: [], facts,
});
const rulesOf = (drafts: FindingDraft[]): Rule[] => [{ meta: { code: 'ANY', severity: 'error', title: '', docs: '' }, check: () => drafts }];
const empty = snapshotOf({ name: W, role: 'workload', objects: [] });
const causesOf = (drafts: FindingDraft[]) => {
  const d = diagnose(empty, rulesOf(drafts));
  const title = new Map(d.findings.map((f) => [f.id, f.title]));
  return Object.fromEntries(d.findings.map((f) => [f.title, f.causedBy.map((id) => title.get(id)).sort()]));
};
const release = (name: string, cluster = W) => ({ cluster, name, namespace: 'kube-system' });
const capi = { cluster: M, kind: 'Cluster', namespace: 'fleet', name: W };

describe('causal links of the failure modes', () => {
  it('declares every new code of the catalog somewhere in the table', () => {
    const inTable = new Set(CAUSAL_LINKS.flatMap((l) => [...l.cause, ...l.effect]));
    const added = RULES.map((r) => r.meta.code).filter((c) => !['COLLECTION_INCOMPLETE'].includes(c));
    expect(added.filter((c) => !inTable.has(c))).toEqual([]);
  });

  it('ties a chart source, values or stuck-release failure to the HRP_FAILED of the same release in the same management cluster only', () => {
    const causes = causesOf([
      draft('HRP_CHART_SOURCE_FAILED', 'src', { managedRelease: release('cni') }, M),
      draft('HELM_VALUES_INVALID', 'vals', { managedRelease: release('csi') }, M),
      draft('HELM_RELEASE_STUCK', 'stuck', { managedRelease: release('ccm') }, M),
      draft('HRP_FAILED', 'cni', { managedRelease: release('cni'), waitedForResources: false }, M),
      draft('HRP_FAILED', 'csi', { managedRelease: release('csi'), waitedForResources: false }, M),
      draft('HRP_FAILED', 'ccm', { managedRelease: release('ccm'), waitedForResources: true }, M),
      draft('HRP_FAILED', 'cni-elsewhere', { managedRelease: release('cni') }, 'other-mgmt'),
    ]);
    expect(causes['HRP_FAILED cni']).toEqual(['HRP_CHART_SOURCE_FAILED src']);
    expect(causes['HRP_FAILED csi']).toEqual(['HELM_VALUES_INVALID vals']);
    expect(causes['HRP_FAILED ccm']).toEqual(['HELM_RELEASE_STUCK stuck']);
    expect(causes['HRP_FAILED cni-elsewhere']).toEqual([]);
  });

  it('links CLUSTER_UNREACHABLE and WEBHOOK_FAILING only to the releases they block', () => {
    const causes = causesOf([
      draft('CLUSTER_UNREACHABLE', W, { capiCluster: capi, blockedReleases: [release('cni')] }, M),
      draft('WEBHOOK_FAILING', 'hook', { blockedReleases: [release('ingress')] }),
      draft('HRP_FAILED', 'cni', { managedRelease: release('cni') }, M),
      draft('HRP_FAILED', 'ingress', { managedRelease: release('ingress') }, M),
      draft('HRP_FAILED', 'metrics', { managedRelease: release('metrics'), waitedForResources: true }, M),
    ]);
    expect(causes['HRP_FAILED cni']).toEqual(['CLUSTER_UNREACHABLE wl']);
    expect(causes['HRP_FAILED ingress']).toEqual(['WEBHOOK_FAILING hook']);
    expect(causes['HRP_FAILED metrics']).toEqual([]);
  });

  it('fails a release through its Job only when the Job is a hook or Helm waited for it', () => {
    const causes = causesOf([
      draft('JOB_FAILED', 'hook', { workload: { cluster: W, kind: 'Job', namespace: 'ns', name: 'hook' }, release: { ...release('a'), hook: 'post-install' } }),
      draft('JOB_FAILED', 'plain', { workload: { cluster: W, kind: 'Job', namespace: 'ns', name: 'plain' }, release: release('b') }),
      draft('HRP_FAILED', 'a', { managedRelease: release('a'), waitedForResources: false }, M),
      draft('HRP_FAILED', 'b', { managedRelease: release('b'), waitedForResources: false }, M),
    ]);
    expect(causes['HRP_FAILED a']).toEqual(['JOB_FAILED hook']);
    expect(causes['HRP_FAILED b']).toEqual([]);
  });

  it('blames missing workers for pods without room, not for pods blocked by taints or affinity', () => {
    const causes = causesOf([
      draft('MACHINEDEPLOYMENT_DEGRADED', 'md-0', { capiCluster: capi, workloadCluster: W, machineDeployment: { cluster: M, kind: 'MachineDeployment', namespace: 'fleet', name: 'md-0' } }, M),
      draft('POD_UNSCHEDULABLE', 'big', { pod: { cluster: W, kind: 'Pod', namespace: 'ns', name: 'big' }, schedulingReasons: ['insufficient-resources'] }),
      draft('POD_UNSCHEDULABLE', 'picky', { pod: { cluster: W, kind: 'Pod', namespace: 'ns', name: 'picky' }, schedulingReasons: ['node-affinity'] }),
      draft('POD_UNSCHEDULABLE', 'elsewhere', { pod: { cluster: 'other', kind: 'Pod', namespace: 'ns', name: 'elsewhere' }, schedulingReasons: ['insufficient-resources'] }, 'other'),
    ]);
    expect(causes['POD_UNSCHEDULABLE big']).toEqual(['MACHINEDEPLOYMENT_DEGRADED md-0']);
    expect(causes['POD_UNSCHEDULABLE picky']).toEqual([]);
    expect(causes['POD_UNSCHEDULABLE elsewhere']).toEqual([]);
  });

  it('blames a node under memory pressure for OOM kills and evictions on that node only', () => {
    const node = { cluster: W, kind: 'Node', name: 'n1' };
    const podOn = (name: string, nodeName: string) => ({ cluster: W, kind: 'Pod', namespace: 'ns', name, node: nodeName });
    const causes = causesOf([
      draft('NODE_PRESSURE', 'n1', { node, pressure: ['MemoryPressure'], taints: ['node.kubernetes.io/memory-pressure'] }),
      draft('CONTAINER_OOMKILLED', 'here', { pod: podOn('here', 'n1') }),
      draft('CONTAINER_OOMKILLED', 'there', { pod: podOn('there', 'n2') }),
      draft('CONTAINER_TERMINATED', 'evicted', { pod: podOn('evicted', 'n1'), evicted: true }, W, 'warning'),
      draft('CONTAINER_TERMINATED', 'crashed', { pod: podOn('crashed', 'n1') }),
    ]);
    expect(causes['CONTAINER_OOMKILLED here']).toEqual(['NODE_PRESSURE n1']);
    expect(causes['CONTAINER_OOMKILLED there']).toEqual([]);
    expect(causes['CONTAINER_TERMINATED evicted']).toEqual(['NODE_PRESSURE n1']);
    expect(causes['CONTAINER_TERMINATED crashed']).toEqual([]);
  });

  it('ties the endpoint to API failures that name it, not to those through the ClusterIP', () => {
    const causes = causesOf([
      draft('CONTROL_PLANE_ENDPOINT_UNREACHABLE', 'vip', { apiAddress: '10.0.0.100', apiViaClusterIp: false, capiCluster: capi }),
      draft('API_SERVER_UNREACHABLE', 'direct', { pod: { cluster: W, kind: 'Pod', namespace: 'ns', name: 'direct' }, apiAddress: '10.0.0.100', apiViaClusterIp: false }),
      draft('API_SERVER_UNREACHABLE', 'service', { pod: { cluster: W, kind: 'Pod', namespace: 'ns', name: 'service' }, apiAddress: '10.96.0.1', apiViaClusterIp: true }),
      draft('CLUSTER_UNREACHABLE', W, { capiCluster: capi }, M),
    ]);
    expect(causes['API_SERVER_UNREACHABLE direct']).toEqual(['CONTROL_PLANE_ENDPOINT_UNREACHABLE vip']);
    expect(causes['API_SERVER_UNREACHABLE service']).toEqual([]);
    expect(causes['CLUSTER_UNREACHABLE wl']).toEqual(['CONTROL_PLANE_ENDPOINT_UNREACHABLE vip']);
  });

  it('links the pods a webhook or a claim depends on, and the pods that mount the claim', () => {
    const provisioner = { cluster: W, kind: 'Deployment', namespace: 'csi', name: 'csi-controller' };
    const webhookPods = { cluster: W, kind: 'Deployment', namespace: 'cm', name: 'webhook' };
    const consumer = { cluster: W, kind: 'Pod', namespace: 'ns', name: 'db-0' };
    const causes = causesOf([
      draft('WORKLOAD_UNAVAILABLE', 'csi-controller', { workload: provisioner }),
      draft('WORKLOAD_UNAVAILABLE', 'webhook', { workload: webhookPods }),
      draft('PVC_PENDING', 'data-db-0', { dependsOn: [provisioner], consumers: [consumer] }),
      draft('WEBHOOK_FAILING', 'hook', { dependsOn: [webhookPods] }),
      draft('POD_UNSCHEDULABLE', 'db-0', { pod: consumer, schedulingReasons: ['unbound-pvc'] }),
    ]);
    expect(causes['PVC_PENDING data-db-0']).toEqual(['WORKLOAD_UNAVAILABLE csi-controller']);
    expect(causes['WEBHOOK_FAILING hook']).toEqual(['WORKLOAD_UNAVAILABLE webhook']);
    expect(causes['POD_UNSCHEDULABLE db-0']).toEqual(['PVC_PENDING data-db-0']);
  });
});
