import type { InputKind, Problem } from '../bundle/types.js';
import type { HelmReleaseProxy } from '../schema/generated.js';
import type { ClusterView } from './cluster.js';
import type { AnyObject } from './kinds.js';

export interface InputSummary {
  path: string;
  kind: InputKind;
}

/** The indexed, validated state of every cluster in the bundles of one `analyze` call. */
export class Snapshot {
  constructor(
    readonly inputs: InputSummary[],
    readonly clusters: ClusterView[],
    readonly problems: Problem[],
    private readonly sources: WeakMap<object, string>,
  ) {}

  cluster(name: string): ClusterView | undefined {
    return this.clusters.find((c) => c.name === name);
  }

  managementClusters(): ClusterView[] {
    return this.clusters.filter((c) => c.role === 'management');
  }

  workloadClusters(): ClusterView[] {
    return this.clusters.filter((c) => c.role === 'workload');
  }

  /** The path inside its bundle of the file an object was read from (for evidence). */
  sourceOf(obj: AnyObject): string {
    return this.sources.get(obj) ?? '';
  }

  /** The workload cluster in the snapshot that a CAPI Cluster reference points at. */
  workloadFor(namespace: string | undefined, name: string): ClusterView | undefined {
    return this.workloadClusters().find(
      (c) => c.identity.capiCluster?.name === name && (namespace === undefined || c.identity.capiCluster.namespace === namespace),
    );
  }

  /** The workload cluster an HRP installs into, when that cluster is in the snapshot. */
  targetOf(hrp: HelmReleaseProxy): ClusterView | undefined {
    const ref = hrp.spec?.clusterRef;
    const name = ref?.name ?? hrp.metadata.labels?.['cluster.x-k8s.io/cluster-name'];
    if (!name) return undefined;
    return this.workloadFor(ref?.namespace ?? hrp.metadata.namespace, name);
  }
}
