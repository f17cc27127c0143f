import type { Node } from '../schema/generated.js';
import type { ClusterView } from '../snapshot/cluster.js';
import { podsOfComponent } from '../snapshot/components.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { kubectl } from './kubectl.js';
import type { FindingDraft, Remediation, Rule } from './types.js';
import { subjectOf } from './util/pod-facts.js';
import { formatTaint, nodeTaints } from './util/taints.js';

export const CLOUD_PROVIDER_UNINITIALIZED = 'node.cloudprovider.kubernetes.io/uninitialized';
export const CAPI_UNINITIALIZED = 'node.cluster.x-k8s.io/uninitialized';
const UNINITIALIZED = [CLOUD_PROVIDER_UNINITIALIZED, CAPI_UNINITIALIZED];

/** The Machine of a management cluster in the snapshot that has the node's providerID. */
function machineWithProviderId(snapshot: Snapshot, providerID: string): string | undefined {
  for (const mgmt of snapshot.managementClusters()) {
    const machine = mgmt.list('Machine').find((m) => m.spec?.providerID === providerID);
    if (machine) return `${machine.metadata.namespace ? `${machine.metadata.namespace}/` : ''}${machine.metadata.name}`;
  }
  return undefined;
}

function findingFor(snapshot: Snapshot, cluster: ClusterView, node: Node, ccmNamespacesOf: (cluster: ClusterView) => string[]): FindingDraft[] {
  const taints = nodeTaints(node);
  const carried = UNINITIALIZED.filter((key) => taints.some((t) => t.key === key));
  if (carried.length === 0) return [];
  const name = node.metadata.name;
  const providerID = node.spec?.providerID;
  const cloud = carried.includes(CLOUD_PROVIDER_UNINITIALIZED);
  const capi = carried.includes(CAPI_UNINITIALIZED);

  const sentences = [`Node ${name} carries ${carried.join(' and ')}: pods that do not tolerate ${carried.length === 1 ? 'it' : 'them'} cannot be scheduled on it.`];
  if (cloud) {
    sentences.push(`${CLOUD_PROVIDER_UNINITIALIZED} is removed by the cloud controller manager once it has initialized the node (addresses, zone labels) and set spec.providerID.`);
  }
  if (capi) {
    sentences.push(`${CAPI_UNINITIALIZED} is removed by Cluster API once it has matched the Node to its Machine by spec.providerID.`);
  }
  if (providerID) {
    const machine = capi ? machineWithProviderId(snapshot, providerID) : undefined;
    sentences.push(`spec.providerID is set (${providerID})${machine ? `, and Machine ${machine} has the same providerID` : ''}.`);
  } else {
    sentences.push(`spec.providerID is not set: the cloud controller manager has not initialized the node${capi ? ', so Cluster API cannot match it to its Machine' : ''}.`);
  }

  const ccmNamespaces = ccmNamespacesOf(cluster);
  const remediation: Remediation[] = [];
  if (cloud || !providerID) {
    const [ccmNamespace] = ccmNamespaces;
    remediation.push(ccmNamespaces.length === 1 && ccmNamespace
      ? { text: 'Check that the cloud controller manager runs and can reach the API server and the cloud', command: kubectl(cluster, 'get', 'pods', '-n', ccmNamespace, '-o', 'wide') }
      : { text: 'Find the cloud controller manager and check that it runs and can reach the API server and the cloud', command: kubectl(cluster, 'get', 'pods', '-A', '-o', 'wide') });
  }
  if (capi) {
    remediation.push({
      text: 'Workaround only, once the node is otherwise healthy and if Cluster API still does not remove it: remove the Cluster API taint by hand',
      command: kubectl(cluster, 'taint', 'nodes', name, `${CAPI_UNINITIALIZED}-`),
    });
  }

  return [{
    code: rule.meta.code,
    severity: rule.meta.severity,
    cluster: cluster.name,
    subject: subjectOf(node),
    title: `Node ${name} is not initialized`,
    detail: sentences.join(' '),
    evidence: [
      { source: snapshot.sourceOf(node), text: `taints: ${taints.map(formatTaint).join(', ')}` },
      { source: snapshot.sourceOf(node), text: `spec.providerID: ${providerID ?? '(not set)'}` },
    ],
    remediation,
    facts: { taints: carried },
  }];
}

function check(snapshot: Snapshot): FindingDraft[] {
  // Where the cloud controller manager runs does not depend on the node: look it up once per cluster.
  const cache = new Map<ClusterView, string[]>();
  const ccmNamespacesOf = (cluster: ClusterView) => {
    let namespaces = cache.get(cluster);
    if (!namespaces) {
      const ccmPods = podsOfComponent(cluster, 'ccm');
      cache.set(cluster, (namespaces = [...new Set(ccmPods.map((p) => p.metadata.namespace ?? 'default'))]));
    }
    return namespaces;
  };
  return snapshot.clusters.flatMap((cluster) => cluster.list('Node').flatMap((node) => findingFor(snapshot, cluster, node, ccmNamespacesOf)));
}

export const rule: Rule = {
  meta: {
    code: 'NODE_UNINITIALIZED',
    severity: 'error',
    title: 'Node not initialized',
    docs: 'A node still carrying node.cloudprovider.kubernetes.io/uninitialized (removed by the cloud controller manager) or node.cluster.x-k8s.io/uninitialized (removed by Cluster API once it matches the Node to its Machine by providerID). Pods that do not tolerate these taints cannot run on it.',
  },
  check,
};
