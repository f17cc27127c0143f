import type { Condition, HelmReleaseProxy } from '../../schema/generated.js';
import { eventTime, type ClusterView } from '../../snapshot/cluster.js';
import { allConditions, oneLine } from '../../snapshot/conditions.js';
import type { AnyObject } from '../../snapshot/kinds.js';
import type { Snapshot } from '../../snapshot/snapshot.js';
import type { ObjectRef, ReleaseRef } from '../types.js';

export const CLUSTER_NAME_LABEL = 'cluster.x-k8s.io/cluster-name';
export const CONTROL_PLANE_LABEL = 'cluster.x-k8s.io/control-plane';
export const CONTROL_PLANE_NAME_LABEL = 'cluster.x-k8s.io/control-plane-name';
export const DEPLOYMENT_NAME_LABEL = 'cluster.x-k8s.io/deployment-name';

/** A reference to a CAPI Cluster object in a management cluster. */
export function capiClusterRef(mgmt: ClusterView, namespace: string | undefined, name: string): ObjectRef {
  return { cluster: mgmt.name, kind: 'Cluster', ...(namespace !== undefined ? { namespace } : {}), name };
}

/** The CAPI Cluster a CAPI object belongs to: spec.clusterName, else the cluster-name label, else its owner Cluster. */
export function clusterNameOf(obj: AnyObject): string | undefined {
  const spec = (obj as { spec?: { clusterName?: string } }).spec;
  return spec?.clusterName || obj.metadata.labels?.[CLUSTER_NAME_LABEL] || obj.metadata.ownerReferences?.find((o) => o.kind === 'Cluster')?.name;
}

/** `ns/name`, or `name` for cluster-scoped objects. */
export function nsName(obj: { metadata: { namespace?: string; name: string } }): string {
  return `${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}`;
}

/** The Helm release an HRP manages, exactly as HRP_FAILED's facts name it (so the two can be matched). */
export function managedReleaseOf(snapshot: Snapshot, hrp: HelmReleaseProxy): ReleaseRef | undefined {
  const target = targetNameOf(snapshot, hrp);
  const name = hrp.spec?.releaseName ?? '';
  if (!target || !name) return undefined;
  return { cluster: target, name, namespace: hrp.spec?.namespace || 'default' };
}

/** The name of the workload cluster an HRP installs into: the snapshot's name for it when it is there, else its clusterRef. */
export function targetNameOf(snapshot: Snapshot, hrp: HelmReleaseProxy): string | undefined {
  return snapshot.targetOf(hrp)?.name ?? hrp.spec?.clusterRef?.name ?? hrp.metadata.labels?.[CLUSTER_NAME_LABEL];
}

/** The namespace and name of the CAPI Cluster an HRP installs into. */
export function hrpClusterRef(hrp: HelmReleaseProxy): { namespace?: string; name: string } | undefined {
  const name = hrp.spec?.clusterRef?.name ?? hrp.metadata.labels?.[CLUSTER_NAME_LABEL];
  if (!name) return undefined;
  const namespace = hrp.spec?.clusterRef?.namespace ?? hrp.metadata.namespace;
  return { ...(namespace !== undefined ? { namespace } : {}), name };
}

/** `Type=Status (Reason): message`, one line. */
export function conditionText(c: Condition, max = 400): string {
  const message = c.message ? oneLine(c.message) : '';
  const capped = message.length > max ? `${message.slice(0, max - 1)}…` : message;
  return `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${capped ? `: ${capped}` : ''}`;
}

/** Conditions that are False (or Unknown with a reason), without duplicates across the v1beta1 / v1beta2 lists. */
export function failingConditions(obj: AnyObject, ignore: string[] = []): Condition[] {
  const seen = new Set<string>();
  return allConditions(obj as { status?: { conditions?: Condition[] | null } }).filter((c) => {
    if (ignore.includes(c.type) || c.status === 'True' || (c.status === 'Unknown' && !c.reason)) return false;
    // Some positive-polarity v1beta2 conditions are True when healthy; negative ones (Deleting, Paused, ...) are skipped.
    if (/^(?:Deleting|Paused|ScalingUp|ScalingDown|Remediating|RollingOut|MachinesUpToDate|UpToDate)$/.test(c.type)) return false;
    const key = `${c.type}/${c.status}/${c.reason ?? ''}/${c.message ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** failureReason / failureMessage, wherever the CAPI version keeps them. */
export function capiFailure(obj: AnyObject): { reason?: string; message?: string } | undefined {
  const status = (obj as { status?: { failureReason?: string; failureMessage?: string; deprecated?: { v1beta1?: { failureReason?: string; failureMessage?: string } } } }).status;
  const reason = status?.failureReason ?? status?.deprecated?.v1beta1?.failureReason;
  const message = status?.failureMessage ?? status?.deprecated?.v1beta1?.failureMessage;
  return reason || message ? { ...(reason ? { reason } : {}), ...(message ? { message: oneLine(message) } : {}) } : undefined;
}

/**
 * The newest timestamp the cluster's events carry: the closest thing to "when the bundle was
 * collected" that every bundle has. Undefined without events.
 */
export function latestEventTime(cluster: ClusterView): number | undefined {
  return cluster.derived('latestEventTime', () => {
    let latest = cluster.latestSummarizedEventTime;
    for (const event of cluster.list('Event')) {
      const t = Date.parse(eventTime(event));
      if (!Number.isNaN(t) && (latest === undefined || t > latest)) latest = t;
    }
    return latest;
  });
}

/** Whether a resource was collected for a cluster (objects of the kind seen, or the resource's file present). */
export function collected(cluster: ClusterView, kind: Parameters<ClusterView['count']>[0], ...resources: string[]): boolean {
  if (cluster.count(kind) > 0) return true;
  return [...cluster.resourcesSeen].some((seen) => resources.some((r) => seen === r || seen.split('.')[0] === r));
}
