import type { DaemonSet, Pod } from '../schema/generated.js';
import type { ClusterView } from '../snapshot/cluster.js';
import { componentOf } from '../snapshot/components.js';
import { releaseOf } from '../snapshot/helm.js';
import { capiClusterOf } from '../snapshot/network.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { kubectl } from './kubectl.js';
import type { FindingDraft, Remediation, Rule } from './types.js';

/** The pods a DaemonSet owns. */
function podsOf(cluster: ClusterView, ds: DaemonSet): Pod[] {
  return cluster.list('Pod', ds.metadata.namespace).filter((p) => cluster.owner(p) === ds);
}

function podState(pod: Pod): string {
  const statuses = pod.status?.containerStatuses ?? [];
  const waiting = statuses.find((s) => s.state?.waiting?.reason)?.state?.waiting?.reason;
  if (waiting) return waiting;
  if (pod.status?.phase === 'Running' && statuses.some((s) => !s.ready)) return 'Running but not ready';
  return pod.status?.phase ?? 'Unknown';
}

/** A summary such as "2 CrashLoopBackOff (cilium-a, cilium-b), 2 Running but not ready (cilium-c, cilium-d)". */
function summarize(pods: Pod[]): string {
  const byState = new Map<string, string[]>();
  for (const pod of pods) {
    const state = podState(pod);
    if (state === 'Running') continue;
    byState.set(state, [...(byState.get(state) ?? []), pod.metadata.name]);
  }
  return [...byState.entries()].map(([state, names]) => `${names.length} ${state} (${names.join(', ')})`).join(', ');
}

/** The ConfigMap that holds Cilium's agent configuration, recognised by its keys. */
export function ciliumConfig(cluster: ClusterView, namespace: string | undefined) {
  return cluster.list('ConfigMap', namespace).find((cm) => {
    const data = cm.data ?? {};
    return 'k8s-service-host' in data || 'kube-proxy-replacement' in data || 'cluster-pool-ipv4-cidr' in data || 'identity-allocation-mode' in data;
  });
}

function check(snapshot: Snapshot): FindingDraft[] {
  return snapshot.clusters.flatMap((cluster) =>
    cluster.list('DaemonSet').flatMap((ds): FindingDraft[] => {
      const component = componentOf(ds);
      if (component?.component !== 'cni') return [];
      const desired = ds.status?.desiredNumberScheduled ?? 0;
      const ready = ds.status?.numberReady ?? 0;
      if (desired === 0 || ready >= desired) return [];
      const namespace = ds.metadata.namespace ?? 'kube-system';
      const pods = podsOf(cluster, ds);
      const summary = summarize(pods);
      const release = releaseOf(cluster, ds);
      const selector = Object.entries(ds.spec?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');

      const remediation: Remediation[] = [];
      const config = component.product === 'Cilium' ? ciliumConfig(cluster, namespace) : undefined;
      const endpoint = capiClusterOf(snapshot, cluster)?.spec?.controlPlaneEndpoint?.host;
      if (config) {
        remediation.push({
          text: `Check the ${component.product} configuration${endpoint ? `: k8s-service-host must be the control-plane endpoint ${endpoint} (from the CAPI Cluster)` : ''}`,
          command: kubectl(cluster, 'get', 'configmap', config.metadata.name, '-n', namespace, '-o', 'yaml'),
        });
      }
      remediation.push({ text: `If the configuration is right, restart the ${component.product} DaemonSet`, command: kubectl(cluster, 'rollout', 'restart', `daemonset/${ds.metadata.name}`, '-n', namespace) });
      if (selector) {
        remediation.push({ text: `Wait for the ${component.product} pods to become ready`, command: kubectl(cluster, 'wait', '--for=condition=ready', 'pod', '-l', selector, '-n', namespace, '--timeout=5m') });
      }

      return [{
        code: rule.meta.code,
        severity: rule.meta.severity,
        cluster: cluster.name,
        subject: { kind: 'DaemonSet', namespace, name: ds.metadata.name },
        title: `${component.product} is not ready on ${desired - ready} of ${desired} nodes (DaemonSet ${namespace}/${ds.metadata.name}: ${ready}/${desired} ready)`,
        detail: [
          `The cluster network plugin ${component.product} has ${ready}/${desired} agents ready${summary ? `: ${summary}` : ''}.`,
          'Pods on nodes without a ready agent get no pod network, and ClusterIP services (including the API server\'s) are unreachable where the CNI implements them.',
        ].join(' '),
        evidence: [{ source: snapshot.sourceOf(ds), text: `desiredNumberScheduled=${desired} numberReady=${ready} numberAvailable=${ds.status?.numberAvailable ?? 0}` }],
        remediation,
        facts: {
          workload: { cluster: cluster.name, kind: 'DaemonSet', namespace, name: ds.metadata.name },
          component: 'cni',
          product: component.product,
          ...(release ? { release: { cluster: cluster.name, name: release.release, namespace: release.namespace ?? namespace } } : {}),
          ready,
          desired,
        },
      }];
    }),
  );
}

export const rule: Rule = {
  meta: {
    code: 'CNI_NOT_READY',
    severity: 'error',
    title: 'Cluster network plugin not ready',
    docs: 'The CNI agent DaemonSet (Cilium, Calico, Flannel, Antrea, ... recognised by image and labels) has fewer ready pods than nodes. Without it pods get no network and ClusterIP services, the API server\'s included, stop working.',
  },
  check,
};
