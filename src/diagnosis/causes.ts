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

const POD_FAILURES = ['POD_CRASHLOOP', 'PROBE_FAILING', 'POD_UNSCHEDULABLE', 'IMAGE_PULL_FAILED', 'CONTAINER_OOMKILLED', 'CONTAINER_TERMINATED', 'INIT_CONTAINER_FAILING'];
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
const sameManagedRelease: Matcher = (c, e) => sameRelease(c.facts.managedRelease, e.facts.managedRelease);
const releaseBlockedByCause: Matcher = (c, e) => (c.facts.blockedReleases ?? []).some((r) => sameRelease(r, e.facts.managedRelease));
const workloadBlockedByCause: Matcher = (c, e) => (c.facts.blockedWorkloads ?? []).some((w) => sameRef(w, e.facts.workload));
const causeIsHookOrHelmWaited: Matcher = (c, e) => !!c.facts.release?.hook || e.facts.waitedForResources === true;
const sameCapiCluster: Matcher = (c, e) => sameRef(c.facts.capiCluster, e.facts.capiCluster);
const sameControlPlane: Matcher = (c, e) => sameRef(c.facts.controlPlane, e.facts.controlPlane);
const sameMachineDeployment: Matcher = (c, e) => sameRef(c.facts.machineDeployment, e.facts.machineDeployment);
/** The cause is one of the pods or workloads the effect needs running (a webhook's backend, a claim's provisioner). */
const causeIsDependency: Matcher = (c, e) => (e.facts.dependsOn ?? []).some((d) => sameRef(d, c.facts.pod) || sameRef(d, c.facts.workload));
/** The effect's pod uses the cause (a claim it mounts). */
const effectConsumes: Matcher = (c, e) => (c.facts.consumers ?? []).some((p) => sameRef(p, e.facts.pod));
/** The cause runs in the cluster where the effect's Node should be (a CCM that never set its providerID). */
const clusterOfEffectNode: Matcher = (c, e) => !!e.facts.node && c.cluster === e.facts.node.cluster;
const effectNodeLacksProviderId: Matcher = (_c, e) => e.facts.nodeLacksProviderId === true;
/** The cause is about the workload cluster the effect lives in. */
const inCauseWorkloadCluster: Matcher = (c, e) => !!c.facts.workloadCluster && c.facts.workloadCluster === e.cluster;
const effectLacksResources: Matcher = (_c, e) => (e.facts.schedulingReasons ?? []).includes('insufficient-resources');
const sameApiAddressNotClusterIp: Matcher = (c, e) => !!c.facts.apiAddress && c.facts.apiAddress === e.facts.apiAddress && e.facts.apiViaClusterIp === false;
const effectTimedOut: Matcher = (_c, e) => e.facts.timedOut === true;
/** The effect's pod ran on the cause's node and was evicted from it. */
const evictedFromCauseNode: Matcher = (c, e) => e.facts.evicted === true && !!c.facts.node && !!e.facts.pod && c.facts.node.cluster === e.facts.pod.cluster && c.facts.node.name === e.facts.pod.node;
const onCauseNodeUnderMemoryPressure: Matcher = (c, e) =>
  (c.facts.pressure ?? []).includes('MemoryPressure') && !!c.facts.node && !!e.facts.pod && c.facts.node.cluster === e.facts.pod.cluster && c.facts.node.name === e.facts.pod.node;

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

  // --- CAAPH and Helm ---------------------------------------------------------------------------
  { cause: ['HRP_CHART_SOURCE_FAILED'], effect: ['HRP_FAILED'], when: [sameCluster, sameManagedRelease], because: 'Helm cannot install or upgrade a chart it cannot fetch' },
  { cause: ['HELM_VALUES_INVALID'], effect: ['HRP_FAILED'], when: [sameCluster, sameManagedRelease], because: 'Helm cannot render the chart with these values' },
  { cause: ['HELM_VALUES_INVALID'], effect: ['HCP_NOT_READY'], when: [sameChartProxy], because: 'CAAPH cannot render the valuesTemplate, so it does not create or update the HelmReleaseProxy' },
  { cause: ['HELM_RELEASE_STUCK'], effect: ['HRP_FAILED'], when: [sameCluster, sameManagedRelease], because: 'Helm refuses any operation on a release locked in a pending state' },
  { cause: ['HELM_RELEASE_STUCK'], effect: ['HRP_FAILED'], when: [partOfManagedRelease], because: 'Helm refuses any operation on a release locked in a pending state' },
  {
    cause: ['POD_CRASHLOOP', 'CONTAINER_OOMKILLED', 'CONTAINER_TERMINATED'], effect: ['HELM_RELEASE_STUCK'], when: [sameCluster, causeIs('caaph')],
    because: 'a Helm operation interrupted by a restart of the CAAPH controller leaves its release pending',
  },
  { cause: ['CLUSTER_UNREACHABLE'], effect: ['HRP_FAILED'], when: [sameCluster, releaseBlockedByCause], because: 'CAAPH cannot run Helm against a cluster it cannot reach' },
  { cause: ['WEBHOOK_FAILING'], effect: ['HRP_FAILED'], when: [releaseBlockedByCause], because: 'the API server rejects the release\'s objects while the admission webhook fails' },

  // --- Cluster API lifecycle --------------------------------------------------------------------
  {
    cause: [...POD_FAILURES, 'WORKLOAD_UNAVAILABLE', 'API_SERVER_UNREACHABLE'], effect: ['MACHINE_NOT_RUNNING'],
    when: [causeIs('ccm'), clusterOfEffectNode, effectNodeLacksProviderId],
    because: 'without the cloud controller manager the Node gets no providerID, so Cluster API cannot match it to its Machine and sets no nodeRef',
  },
  { cause: ['MACHINE_NOT_RUNNING'], effect: ['CONTROL_PLANE_NOT_READY'], when: [sameControlPlane], because: 'a control plane is ready only when its machines are' },
  { cause: ['MACHINE_NOT_RUNNING'], effect: ['MACHINEDEPLOYMENT_DEGRADED'], when: [sameMachineDeployment], because: 'a MachineDeployment is ready only when its machines are' },
  { cause: ['CONTROL_PLANE_NOT_READY'], effect: ['CLUSTER_NOT_PROVISIONED'], when: [sameCapiCluster], because: 'a Cluster is provisioned once its control plane is up' },
  {
    cause: ['CONTROL_PLANE_NOT_READY', 'CLUSTER_NOT_PROVISIONED', 'CONTROL_PLANE_ENDPOINT_UNREACHABLE'], effect: ['CLUSTER_UNREACHABLE'], when: [sameCapiCluster],
    because: 'CAAPH reaches the cluster through its control-plane endpoint, with the kubeconfig CAPI writes once the control plane is up',
  },
  {
    cause: ['MACHINEDEPLOYMENT_DEGRADED', 'MACHINE_NOT_RUNNING'], effect: ['POD_UNSCHEDULABLE'], when: [inCauseWorkloadCluster, effectLacksResources],
    because: 'the worker nodes that would give the pod room never joined the cluster',
  },

  // --- Control-plane endpoint (kube-vip / VIP) --------------------------------------------------
  {
    cause: ['CONTROL_PLANE_ENDPOINT_UNREACHABLE'], effect: ['API_SERVER_UNREACHABLE'], when: [sameCluster, sameApiAddressNotClusterIp],
    because: 'the pod talks to the API server through the control-plane endpoint, which nothing serves',
  },
  {
    cause: [...POD_FAILURES, 'WORKLOAD_UNAVAILABLE'], effect: ['CONTROL_PLANE_ENDPOINT_UNREACHABLE'], when: [sameCluster, causeIs('kube-vip')],
    because: 'kube-vip, which holds the control-plane VIP, is not running',
    breakWith: 'Point kube-vip\'s leader election at the local API server (on the first control plane of a kubeadm ≥ 1.29 cluster, use /etc/kubernetes/super-admin.conf in its static pod manifest) so that it can take the VIP without needing the VIP first.',
  },

  // --- Workloads --------------------------------------------------------------------------------
  { cause: POD_FAILURES, effect: ['JOB_FAILED'], when: [sameWorkload], because: 'the Job gives up once its pods have failed too often or too long' },
  { cause: ['JOB_FAILED'], effect: ['HRP_FAILED'], when: [partOfManagedRelease, causeIsHookOrHelmWaited], because: 'Helm fails the release when its hook Job (or a Job it waits for) fails' },
  { cause: [...POD_FAILURES, 'WORKLOAD_UNAVAILABLE'], effect: ['PVC_PENDING'], when: [sameCluster, causeIsDependency], because: 'the storage provisioner that creates the claim\'s volume is not running' },
  { cause: ['PVC_PENDING'], effect: ['POD_UNSCHEDULABLE'], when: [sameCluster, effectConsumes], because: 'the scheduler does not place a pod whose PersistentVolumeClaim is unbound' },
  { cause: ['PVC_PENDING'], effect: ['HRP_FAILED'], when: [partOfManagedRelease, helmWaitedForResources], because: 'Helm waited for the release\'s PersistentVolumeClaims to be bound and timed out' },
  { cause: [...POD_FAILURES, 'WORKLOAD_UNAVAILABLE'], effect: ['WEBHOOK_FAILING'], when: [sameCluster, causeIsDependency], because: 'the pods that serve the admission webhook are not running' },
  { cause: ['CNI_NOT_READY'], effect: ['WEBHOOK_FAILING'], when: [sameCluster, effectTimedOut], because: 'the API server reaches webhook pods through the pod network, which is down' },
  {
    cause: ['WEBHOOK_FAILING'], effect: ['WORKLOAD_UNAVAILABLE', 'JOB_FAILED', 'CNI_NOT_READY'], when: [sameCluster, workloadBlockedByCause],
    because: 'the API server refuses to create its pods while the admission webhook fails',
    breakWith: 'Set the webhook\'s failurePolicy to Ignore for as long as its own pods cannot start, then restore it.',
  },
  { cause: ['NODE_PRESSURE'], effect: ['POD_UNSCHEDULABLE'], when: [sameCluster, blockingTaintFromNode], because: 'the node is tainted for its resource pressure and the pod does not tolerate it' },
  { cause: ['NODE_PRESSURE'], effect: ['CONTAINER_TERMINATED'], when: [sameCluster, evictedFromCauseNode], because: 'the kubelet evicts pods to reclaim the resource it is short of' },
  { cause: ['NODE_PRESSURE'], effect: ['CONTAINER_OOMKILLED'], when: [sameCluster, onCauseNodeUnderMemoryPressure], because: 'the node itself is out of memory' },
];
