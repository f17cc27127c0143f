import type { FindingDraft, ObjectRef, ReleaseRef } from '../rules/types.js';

/**
 * Domain knowledge of how failures cause each other, as a table. Each link says: a finding with
 * code `cause` explains a finding with code `effect` when every matcher in `when` holds.
 * Matchers compare only the findings' facts, so the table reads as plain statements.
 */
export type Matcher = (cause: FindingDraft, effect: FindingDraft) => boolean;

export interface CausalLink {
  cause: string[];
  effect: string[];
  when: Matcher[];
  /** Why, in words that complete "<cause> → <effect> because ...". */
  because: string;
  /** Where a deadlock cycle runs through this link, how the operator can cut it by hand. */
  breakWith?: string;
}

const POD_FAILURES = ['POD_CRASHLOOP', 'PROBE_FAILING', 'POD_UNSCHEDULABLE', 'IMAGE_PULL_FAILED', 'CONTAINER_OOMKILLED'];
export const CLOUD_PROVIDER_TAINT = 'node.cloudprovider.kubernetes.io/uninitialized';
export const CAPI_TAINT = 'node.cluster.x-k8s.io/uninitialized';

const sameRef = (a: ObjectRef | undefined, b: ObjectRef | undefined) =>
  !!a && !!b && a.cluster === b.cluster && a.kind === b.kind && (a.namespace ?? '') === (b.namespace ?? '') && a.name === b.name;

const sameRelease = (member: ReleaseRef | undefined, managed: ReleaseRef | undefined) =>
  !!member && !!managed && member.cluster === managed.cluster && member.name === managed.name &&
  (member.namespace === undefined || managed.namespace === undefined || member.namespace === managed.namespace);

// The vocabulary the table is written in.
const sameCluster: Matcher = (c, e) => c.cluster === e.cluster;
const samePod: Matcher = (c, e) => sameRef(c.facts.pod, e.facts.pod);
const sameWorkload: Matcher = (c, e) => sameRef(c.facts.workload, e.facts.workload);
const causeIs = (...components: string[]): Matcher => (c) => components.includes(c.facts.component ?? '');
const effectCarriesTaint = (...keys: string[]): Matcher => (_c, e) => (e.facts.taints ?? []).some((t) => keys.includes(t));
const blockingTaintFromNode: Matcher = (c, e) => (e.facts.taints ?? []).some((t) => (c.facts.taints ?? []).includes(t));
const apiViaClusterIp: Matcher = (_c, e) => e.facts.apiViaClusterIp === true;
const effectNetworkNotReady: Matcher = (_c, e) => e.facts.networkNotReady === true;
const partOfManagedRelease: Matcher = (c, e) => sameRelease(c.facts.release, e.facts.managedRelease);
const helmWaitedForResources: Matcher = (_c, e) => e.facts.waitedForResources === true;
const sameChartProxy: Matcher = (c, e) => sameRef(c.facts.helmChartProxy, e.facts.helmChartProxy);

export const CAUSAL_LINKS: CausalLink[] = [
  { cause: ['PROBE_FAILING'], effect: ['POD_CRASHLOOP'], when: [samePod], because: 'failing startup or liveness probes make the kubelet restart the container' },
  { cause: ['CONTAINER_OOMKILLED'], effect: ['POD_CRASHLOOP'], when: [samePod], because: 'the container is killed for exceeding its memory limit' },
  { cause: ['API_SERVER_UNREACHABLE'], effect: ['POD_CRASHLOOP', 'PROBE_FAILING'], when: [samePod], because: 'the process cannot work without the API server and exits or stays unhealthy' },
  { cause: ['CILIUM_API_ENDPOINT_MISMATCH'], effect: ['CNI_NOT_READY', 'POD_CRASHLOOP', 'PROBE_FAILING'], when: [sameWorkload], because: 'Cilium agents that talk to the wrong API address never finish starting' },
  { cause: POD_FAILURES, effect: ['CNI_NOT_READY', 'WORKLOAD_UNAVAILABLE'], when: [sameWorkload], because: 'its pods are not running and ready' },
  { cause: [...POD_FAILURES, 'WORKLOAD_UNAVAILABLE'], effect: ['CNI_NOT_READY'], when: [sameCluster, causeIs('cni-operator')], because: 'the CNI operator, which the agents depend on, is missing replicas' },
  { cause: ['CNI_NOT_READY'], effect: ['API_SERVER_UNREACHABLE'], when: [sameCluster, apiViaClusterIp], because: 'ClusterIP services, the API server\'s included, are unreachable without the cluster network' },
  { cause: ['CNI_NOT_READY'], effect: ['NODE_NOT_READY'], when: [sameCluster, effectNetworkNotReady], because: 'the kubelet reports the node NotReady while its network plugin is not ready' },
  {
    cause: [...POD_FAILURES, 'WORKLOAD_UNAVAILABLE', 'API_SERVER_UNREACHABLE'], effect: ['NODE_UNINITIALIZED'],
    when: [sameCluster, causeIs('ccm'), effectCarriesTaint(CLOUD_PROVIDER_TAINT, CAPI_TAINT)],
    because: 'only a running cloud controller manager initializes nodes (removing the cloud-provider taint and setting providerID, which CAPI needs to remove its own taint)',
  },
  {
    cause: ['NODE_UNINITIALIZED', 'NODE_NOT_READY'], effect: ['POD_UNSCHEDULABLE'], when: [sameCluster, blockingTaintFromNode],
    because: 'the pod does not tolerate a taint the node carries',
    breakWith: `Remove the CAPI taint ${CAPI_TAINT} from the nodes by hand so that the blocked pods can schedule. Leave ${CLOUD_PROVIDER_TAINT} alone: the cloud controller manager only initializes nodes that carry it.`,
  },
  {
    cause: [...POD_FAILURES, 'WORKLOAD_UNAVAILABLE', 'CNI_NOT_READY'], effect: ['HRP_FAILED'], when: [partOfManagedRelease, helmWaitedForResources],
    because: 'Helm waited for these resources of the release (or its hooks) and timed out',
  },
  { cause: ['HRP_FAILED'], effect: ['HCP_NOT_READY'], when: [sameChartProxy], because: 'a HelmChartProxy is ready only when all its HelmReleaseProxies are' },
];
