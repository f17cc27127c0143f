import { parse as parseYaml } from 'yaml';
import type { InputSpec, Problem } from '../bundle/types.js';
import type { CapiCluster } from '../schema/generated.js';
import { basename } from 'node:path';
import type { ClusterView } from './cluster.js';

interface Candidate {
  management: ClusterView;
  cluster: CapiCluster;
}

/**
 * Gives every cluster a role and a name, and links workload clusters to the CAPI Cluster they are,
 * following bundle-format.md: manifest first, then NAME=PATH, then evidence, then "the only one".
 * Each decision is recorded in `identity.linkedBy` so the report can say how the link was made.
 */
export function linkClusters(views: ClusterView[], specs: InputSpec[], problems: Problem[]): void {
  for (const view of views) {
    if (view.role !== 'unknown') continue;
    const holdsCapi = view.count('Cluster') > 0 || view.count('HelmChartProxy') > 0 || view.count('HelmReleaseProxy') > 0;
    view.identity.role = holdsCapi ? 'management' : 'workload';
    view.identity.linkedBy = holdsCapi ? 'management cluster: it holds CAPI or CAAPH objects' : 'workload cluster: it holds no CAPI objects';
    const named = specs.find((s) => s.path === view.identity.input && s.clusterName);
    if (named?.clusterName) {
      view.identity.name = named.clusterName;
      view.identity.linkedBy += '; named on the command line (NAME=PATH)';
    }
  }

  // Management clusters need their names before candidates are chosen (a self-hosted one holds a Cluster named like itself).
  nameAfterInputs(views.filter((v) => v.role === 'management'));

  const candidates: Candidate[] = views
    .filter((v) => v.role === 'management')
    .flatMap((management) => management.list('Cluster').map((cluster) => ({ management, cluster })))
    .filter(({ cluster }) => !isSelfHosted(cluster, views));

  const taken = new Set<string>();
  const idOf = (c: CapiCluster) => `${c.metadata.namespace ?? ''}/${c.metadata.name}`;
  for (const view of views) {
    const capi = view.identity.capiCluster;
    if (capi) taken.add(`${capi.namespace}/${capi.name}`);
  }

  for (const view of views) {
    if (view.role !== 'workload' || view.identity.capiCluster) continue;
    const free = candidates.filter((c) => !taken.has(idOf(c.cluster)));
    const match = matchByEvidence(view, free);
    if (!match) {
      if (!view.identity.name && candidates.length > 0) {
        problems.push({ input: view.identity.input, source: '', message: 'workload cluster could not be matched to a CAPI Cluster: name it on the command line as NAME=PATH' });
      }
      continue;
    }
    const { candidate, because } = match;
    taken.add(idOf(candidate.cluster));
    view.identity.capiCluster = { namespace: candidate.cluster.metadata.namespace ?? 'default', name: candidate.cluster.metadata.name };
    if (!view.identity.name) {
      view.identity.name = candidate.cluster.metadata.name;
      view.identity.linkedBy += `; named after the CAPI Cluster ${idOf(candidate.cluster)} it was matched to: ${because}`;
    } else {
      view.identity.linkedBy += `; linked to CAPI Cluster ${idOf(candidate.cluster)}: ${because}`;
    }
  }
}

/**
 * A management cluster that manages itself holds a Cluster object for itself: that one is no
 * workload cluster. It is recognised by name, or by its Machines being the management cluster's own nodes.
 */
function isSelfHosted(cluster: CapiCluster, views: ClusterView[]): boolean {
  return views.some((v) => {
    if (v.role !== 'management') return false;
    if (v.name === cluster.metadata.name) return true;
    const ownNodes = new Set(v.list('Node').map((n) => n.metadata.name));
    return ownNodes.size > 0 && v.list('Machine', cluster.metadata.namespace).some(
      (m) => m.spec?.clusterName === cluster.metadata.name && ownNodes.has(m.status?.nodeRef?.name ?? ''),
    );
  });
}

function matchByEvidence(view: ClusterView, candidates: Candidate[]): { candidate: Candidate; because: string } | undefined {
  if (view.name) {
    const byName = candidates.find((c) => c.cluster.metadata.name === view.name);
    if (byName) return { candidate: byName, because: 'same name' };
  }
  const kubeadm = kubeadmClusterConfiguration(view);
  if (kubeadm.clusterName) {
    const byKubeadm = candidates.filter((c) => c.cluster.metadata.name === kubeadm.clusterName);
    if (byKubeadm.length === 1 && byKubeadm[0]) return { candidate: byKubeadm[0], because: `kubeadm-config clusterName is ${kubeadm.clusterName}` };
  }
  const nodeNames = new Set(view.list('Node').map((n) => n.metadata.name));
  if (nodeNames.size > 0) {
    const byNodes = candidates.filter((c) =>
      c.management.list('Machine', c.cluster.metadata.namespace).some(
        (m) => m.spec?.clusterName === c.cluster.metadata.name && (nodeNames.has(m.metadata.name) || nodeNames.has(m.status?.nodeRef?.name ?? '')),
      ),
    );
    if (byNodes.length === 1 && byNodes[0]) return { candidate: byNodes[0], because: 'its node names match the Machines of that Cluster' };
  }
  if (kubeadm.endpointHost) {
    const byEndpoint = candidates.filter((c) => c.cluster.spec?.controlPlaneEndpoint?.host === kubeadm.endpointHost);
    if (byEndpoint.length === 1 && byEndpoint[0]) return { candidate: byEndpoint[0], because: `API endpoint ${kubeadm.endpointHost} matches spec.controlPlaneEndpoint` };
  }
  if (candidates.length === 1 && candidates[0]) {
    return { candidate: candidates[0], because: 'it is the only workload Cluster in the management cluster (no direct evidence)' };
  }
  return undefined;
}

function kubeadmClusterConfiguration(view: ClusterView): { clusterName?: string; endpointHost?: string } {
  const text = view.get('ConfigMap', 'kube-system', 'kubeadm-config')?.data?.['ClusterConfiguration'];
  if (!text) return {};
  try {
    const config = parseYaml(text) as { clusterName?: unknown; controlPlaneEndpoint?: unknown } | null;
    const endpoint = typeof config?.controlPlaneEndpoint === 'string' ? config.controlPlaneEndpoint : undefined;
    return {
      clusterName: typeof config?.clusterName === 'string' ? config.clusterName : undefined,
      endpointHost: endpoint?.replace(/:\d+$/, '').replace(/^\[|\]$/g, ''),
    };
  } catch {
    return {};
  }
}

/** A cluster nothing else named is called after its input file. */
export function nameAfterInputs(views: ClusterView[]): void {
  for (const view of views) {
    if (view.identity.name) continue;
    view.identity.name = basename(view.identity.input.replace(/\/+$/, '')).replace(/\.(tgz|tar\.gz|tar)$/i, '') || 'cluster';
    view.identity.linkedBy += '; named after its input file';
  }
}
