import type { HelmReleaseProxy } from '../schema/generated.js';
import type { ClusterView } from './cluster.js';
import type { AnyObject } from './kinds.js';

export interface ReleaseMembership {
  release: string;
  /** The release namespace when the object says it (meta.helm.sh/release-namespace). */
  namespace?: string;
  /** The Helm hook the object implements (`pre-upgrade`, `post-install,post-upgrade`, ...). */
  hook?: string;
  /** What tied the object to the release, for evidence. */
  via: string;
}

/**
 * The Helm release an object belongs to: Helm's ownership annotations first, then the chart
 * conventions (`app.kubernetes.io/instance`, old `release` label), looking through the owner chain
 * because pods carry their owner's labels but rarely the annotations.
 */
export function releaseOf(cluster: ClusterView, obj: AnyObject): ReleaseMembership | undefined {
  let hook: string | undefined;
  for (let current: AnyObject | undefined = obj, depth = 0; current && depth < 6; current = cluster.owner(current), depth++) {
    const annotations = current.metadata.annotations ?? {};
    const labels = current.metadata.labels ?? {};
    hook ??= annotations['helm.sh/hook'];
    const byAnnotation = annotations['meta.helm.sh/release-name'];
    if (byAnnotation) {
      return { release: byAnnotation, namespace: annotations['meta.helm.sh/release-namespace'], hook, via: `annotation meta.helm.sh/release-name on ${describe(current)}` };
    }
    const byLabel = labels['app.kubernetes.io/instance'] ?? (labels['heritage'] === 'Helm' ? labels['release'] : undefined);
    if (byLabel) return { release: byLabel, hook, via: `label app.kubernetes.io/instance on ${describe(current)}` };
  }
  return undefined;
}

function describe(obj: AnyObject): string {
  return `${(obj as { kind: string }).kind} ${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}`;
}

/** Whether an object in the HRP's target cluster belongs to the release the HRP manages. */
export function belongsToRelease(cluster: ClusterView, obj: AnyObject, hrp: HelmReleaseProxy): ReleaseMembership | undefined {
  const releaseName = hrp.spec?.releaseName;
  if (!releaseName) return undefined;
  const membership = releaseOf(cluster, obj);
  if (!membership || membership.release !== releaseName) return undefined;
  const releaseNamespace = hrp.spec?.namespace || 'default';
  const objectNamespace = membership.namespace ?? obj.metadata.namespace;
  return objectNamespace === undefined || objectNamespace === releaseNamespace || membership.namespace === undefined ? membership : undefined;
}
