import type { Node } from '../schema/generated.js';
import type { ClusterView } from '../snapshot/cluster.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { kubectl } from './kubectl.js';
import type { FindingDraft, Remediation, Rule } from './types.js';
import { oneLine, subjectOf } from './util/pod-facts.js';
import { formatTaint, nodeTaints } from './util/taints.js';

/** The kubelet's way of saying the CNI plugin is not ready on the node. */
export const NETWORK_NOT_READY = /NetworkReady=false|NetworkPluginNotReady|cni plugin not initialized|network plugin is not ready|no networks found in \/etc\/cni\/net\.d/i;

export function networkNotReady(message: string): boolean {
  return NETWORK_NOT_READY.test(message);
}

function findingFor(snapshot: Snapshot, cluster: ClusterView, node: Node): FindingDraft[] {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  if (!ready || ready.status === 'True') return [];
  const name = node.metadata.name;
  const message = ready.message ?? '';
  const network = networkNotReady(message);
  const taints = nodeTaints(node);

  const sentences = [
    ready.status === 'Unknown'
      ? `Node ${name} is not ready: its Ready condition is Unknown${ready.reason ? ` (${ready.reason})` : ''}, the kubelet has stopped posting its status.`
      : `Node ${name} is not ready: Ready=${ready.status}${ready.reason ? ` (${ready.reason})` : ''}.`,
  ];
  if (message) sentences.push(`Kubelet: ${oneLine(message, 600)}`);
  if (network) sentences.push('The container network is not ready on this node: the CNI plugin has not started or has not written its configuration, so no pod network is available here.');
  if (taints.length > 0) sentences.push(`Taints: ${taints.map(formatTaint).join(', ')}.`);

  const remediation: Remediation[] = [
    { text: 'See the node\'s conditions and events', command: kubectl(cluster, 'describe', 'node', name) },
  ];
  if (network) {
    remediation.push({ text: 'Check the CNI agent pod on this node', command: kubectl(cluster, 'get', 'pods', '-A', '-o', 'wide', '--field-selector', `spec.nodeName=${name}`) });
  } else if (ready.status === 'Unknown') {
    remediation.push({ text: 'Check that the machine is up and the kubelet runs on it (`systemctl status kubelet`, `journalctl -u kubelet`)' });
  } else {
    remediation.push({ text: 'Read the kubelet log on the node (`journalctl -u kubelet`)' });
  }

  return [{
    code: rule.meta.code,
    severity: rule.meta.severity,
    cluster: cluster.name,
    subject: subjectOf(node),
    title: `Node ${name} is not ready${network ? ' (container network not ready)' : ''}`,
    detail: sentences.join(' '),
    evidence: [{ source: snapshot.sourceOf(node), text: `Ready=${ready.status}${ready.reason ? ` ${ready.reason}` : ''}${message ? `: ${oneLine(message, 1000)}` : ''}` }],
    remediation,
    facts: { taints: [...new Set(taints.map((t) => t.key))], networkNotReady: network },
  }];
}

function check(snapshot: Snapshot): FindingDraft[] {
  return snapshot.clusters.flatMap((cluster) => cluster.list('Node').flatMap((node) => findingFor(snapshot, cluster, node)));
}

export const rule: Rule = {
  meta: {
    code: 'NODE_NOT_READY',
    severity: 'error',
    title: 'Node not ready',
    docs: 'A node whose Ready condition is False or Unknown, with the kubelet\'s reason: a container network that is not ready (CNI plugin not initialized) or a kubelet that stopped reporting.',
  },
  check,
};
