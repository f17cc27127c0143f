import type { Evidence, Remediation, ReportFinding, Severity, Subject } from '../schema/generated.js';
import type { EventInterest } from '../snapshot/event-interest.js';
import type { Snapshot } from '../snapshot/snapshot.js';

export type { Evidence, Remediation, Severity, Subject };

/** What a rule is, in the style of ESLint's rule meta. */
export interface RuleMeta {
  code: string;
  severity: Severity;
  title: string;
  /** What the rule checks and why it matters, in a sentence or two (rendered in docs/ and --help). */
  docs: string;
  /**
   * The Normal events the rule reads. Warning events are always in the snapshot; a Normal event
   * no rule declares is only counted (snapshot/event-interest.ts).
   */
  events?: EventInterest;
}

/** A reference to an object in a cluster, used in facts that the causal table matches on. */
export interface ObjectRef {
  cluster: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** The Helm release a workload-cluster object belongs to. */
export interface ReleaseRef {
  cluster: string;
  name: string;
  namespace?: string;
  hook?: string;
}

/**
 * Structured facts a finding carries besides its prose: the diagnosis matches causes to effects
 * on these, and the report builds its tables from them. Every field is optional; a rule fills
 * what it knows.
 */
export interface Facts {
  /** The pod the finding is about or comes from. */
  pod?: ObjectRef & { node?: string; hostNetwork?: boolean };
  /** The outermost owner of the pod or the workload itself (Deployment, DaemonSet, StatefulSet, Job). */
  workload?: ObjectRef;
  /** The platform component the subject is part of, and its product name (see snapshot/components.ts). */
  component?: string;
  product?: string;
  /** The Helm release the subject belongs to in its cluster. */
  release?: ReleaseRef;
  /** Taint keys: those a node carries (NODE_*) or those that keep a pod off every node (POD_UNSCHEDULABLE). */
  taints?: string[];
  /** The API server address a pod failed to reach, and whether it is a ClusterIP (reached through the CNI datapath). */
  apiAddress?: string;
  apiViaClusterIp?: boolean;
  /** NODE_NOT_READY: the kubelet reports the network plugin (CNI) as not ready. */
  networkNotReady?: boolean;
  /** HRP: the Helm release it manages in its target cluster. */
  managedRelease?: ReleaseRef;
  /** HRP: the hook phase of a hook failure (`post-upgrade`). */
  hookPhase?: string;
  /** HRP: Helm gave up waiting (hooks or resources did not become ready in time), so the workload cluster holds the cause. */
  waitedForResources?: boolean;
  /** HRP → its HelmChartProxy; HCP findings carry their own name here. */
  helmChartProxy?: ObjectRef;
  /** Ready/desired counts for workloads. */
  ready?: number;
  desired?: number;
  /** Free-form numbers for the report (restarts, probe failures). */
  restarts?: number;
  probe?: { kind: string; port?: string; path?: string; failures: number };

  /** The CAPI Cluster (in its management cluster) the subject belongs to, or that the subject's workload cluster is. */
  capiCluster?: ObjectRef;
  /** The name, in this snapshot, of the workload cluster a CAPI object builds (or an HRP installs into). */
  workloadCluster?: string;
  /** The KubeadmControlPlane the subject is (CONTROL_PLANE_NOT_READY) or belongs to (a control-plane Machine). */
  controlPlane?: ObjectRef;
  /** The MachineDeployment the subject is (MACHINEDEPLOYMENT_DEGRADED) or belongs to (a worker Machine). */
  machineDeployment?: ObjectRef;
  /** The Node the finding is about (NODE_PRESSURE), or the Node a Machine should have become (MACHINE_NOT_RUNNING). */
  node?: ObjectRef;
  /** MACHINE_NOT_RUNNING: its Node exists but has no spec.providerID, which the cloud controller manager sets. */
  nodeLacksProviderId?: boolean;
  /** NODE_PRESSURE: the pressure conditions that are True (`MemoryPressure`, `DiskPressure`, `PIDPressure`). */
  pressure?: string[];
  /** POD_UNSCHEDULABLE: the scheduler's reasons other than taints (`insufficient-resources`, `node-affinity`, `pod-affinity`, `unbound-pvc`, ...). */
  schedulingReasons?: string[];
  /** CONTAINER_TERMINATED: the pod was evicted by the kubelet (node pressure) rather than exiting by itself. */
  evicted?: boolean;
  /** HRP_CHART_SOURCE_FAILED: what failed when fetching the chart (`tls`, `auth`, `not-found`, `unreachable`, `oci`, `other`). */
  sourceFailure?: string;
  /** WEBHOOK_FAILING: the webhook timed out (the API server could not reach it), rather than rejecting the request. */
  timedOut?: boolean;
  /** Helm releases whose HelmReleaseProxies report this failure (CLUSTER_UNREACHABLE, WEBHOOK_FAILING). */
  blockedReleases?: ReleaseRef[];
  /** Workloads (outermost owners) whose pods or objects cannot be created because of this failure (WEBHOOK_FAILING). */
  blockedWorkloads?: ObjectRef[];
  /** Pods and workloads the subject needs running: a webhook's backing pods, a claim's volume provisioner. */
  dependsOn?: ObjectRef[];
  /** Pods that use the subject (PVC_PENDING: the pods that mount the claim). */
  consumers?: ObjectRef[];
}

/** What a rule returns: a finding of the JSON report before the diagnosis gives it an id and its causes, plus its facts. */
export interface FindingDraft extends Omit<ReportFinding, 'id' | 'causedBy' | 'suppressed'> {
  facts: Facts;
}

export interface Rule {
  meta: RuleMeta;
  check(snapshot: Snapshot): FindingDraft[];
}
