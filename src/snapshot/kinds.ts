import type {
  CapiCluster, ConfigMap, DaemonSet, Deployment, Event, HelmChartProxy, HelmReleaseProxy, Job, KubeadmControlPlane, Machine,
  MachineDeployment, MutatingWebhookConfiguration, Namespace, Node, PersistentVolumeClaim, Pod, ReplicaSet, SecretMetadata, Service,
  StatefulSet, StorageClass, ValidatingWebhookConfiguration,
} from '../schema/generated.js';

/** The kinds the snapshot keeps, with the TypeScript type each is reduced to. */
export interface KindTypes {
  HelmReleaseProxy: HelmReleaseProxy;
  HelmChartProxy: HelmChartProxy;
  Cluster: CapiCluster;
  Machine: Machine;
  Node: Node;
  Namespace: Namespace;
  Pod: Pod;
  Event: Event;
  ConfigMap: ConfigMap;
  Secret: SecretMetadata;
  Service: Service;
  DaemonSet: DaemonSet;
  Deployment: Deployment;
  StatefulSet: StatefulSet;
  ReplicaSet: ReplicaSet;
  Job: Job;
  KubeadmControlPlane: KubeadmControlPlane;
  MachineDeployment: MachineDeployment;
  PersistentVolumeClaim: PersistentVolumeClaim;
  StorageClass: StorageClass;
  ValidatingWebhookConfiguration: ValidatingWebhookConfiguration;
  MutatingWebhookConfiguration: MutatingWebhookConfiguration;
}
export type KindName = keyof KindTypes;
export type AnyObject = KindTypes[KindName];

interface KindInfo {
  /** API groups the kind is recognised in ('' is the core group). Objects are identified by their own apiVersion, never by file name. */
  groups: string[];
  schema: string;
  namespaced: boolean;
}

export const KINDS: Record<KindName, KindInfo> = {
  HelmReleaseProxy: { groups: ['addons.cluster.x-k8s.io'], schema: 'kinds/helmreleaseproxy.schema.json', namespaced: true },
  HelmChartProxy: { groups: ['addons.cluster.x-k8s.io'], schema: 'kinds/helmchartproxy.schema.json', namespaced: true },
  Cluster: { groups: ['cluster.x-k8s.io'], schema: 'kinds/cluster.schema.json', namespaced: true },
  Machine: { groups: ['cluster.x-k8s.io'], schema: 'kinds/machine.schema.json', namespaced: true },
  Node: { groups: [''], schema: 'kinds/node.schema.json', namespaced: false },
  Namespace: { groups: [''], schema: 'kinds/namespace.schema.json', namespaced: false },
  Pod: { groups: [''], schema: 'kinds/pod.schema.json', namespaced: true },
  Event: { groups: ['', 'events.k8s.io'], schema: 'kinds/event.schema.json', namespaced: true },
  ConfigMap: { groups: [''], schema: 'kinds/configmap.schema.json', namespaced: true },
  Secret: { groups: [''], schema: 'kinds/secret.schema.json', namespaced: true },
  Service: { groups: [''], schema: 'kinds/service.schema.json', namespaced: true },
  DaemonSet: { groups: ['apps', 'extensions'], schema: 'kinds/daemonset.schema.json', namespaced: true },
  Deployment: { groups: ['apps', 'extensions'], schema: 'kinds/deployment.schema.json', namespaced: true },
  StatefulSet: { groups: ['apps'], schema: 'kinds/statefulset.schema.json', namespaced: true },
  ReplicaSet: { groups: ['apps', 'extensions'], schema: 'kinds/replicaset.schema.json', namespaced: true },
  Job: { groups: ['batch'], schema: 'kinds/job.schema.json', namespaced: true },
  KubeadmControlPlane: { groups: ['controlplane.cluster.x-k8s.io'], schema: 'kinds/kubeadmcontrolplane.schema.json', namespaced: true },
  MachineDeployment: { groups: ['cluster.x-k8s.io'], schema: 'kinds/machinedeployment.schema.json', namespaced: true },
  PersistentVolumeClaim: { groups: [''], schema: 'kinds/persistentvolumeclaim.schema.json', namespaced: true },
  StorageClass: { groups: ['storage.k8s.io'], schema: 'kinds/storageclass.schema.json', namespaced: false },
  ValidatingWebhookConfiguration: { groups: ['admissionregistration.k8s.io'], schema: 'kinds/validatingwebhookconfiguration.schema.json', namespaced: false },
  MutatingWebhookConfiguration: { groups: ['admissionregistration.k8s.io'], schema: 'kinds/mutatingwebhookconfiguration.schema.json', namespaced: false },
};

export function apiGroup(apiVersion: unknown): string {
  if (typeof apiVersion !== 'string') return '';
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The snapshot kind of a raw object, from its own apiVersion and kind; undefined for kinds no rule reads. */
export function kindOf(raw: { apiVersion?: unknown; kind?: unknown }): KindName | undefined {
  if (typeof raw.kind !== 'string' || !Object.hasOwn(KINDS, raw.kind)) return undefined;
  const kind = raw.kind as KindName;
  // A missing apiVersion is tolerated for core kinds (hand-made fixtures, some old dumps).
  const group = raw.apiVersion === undefined ? '' : apiGroup(raw.apiVersion);
  return KINDS[kind].groups.includes(group) ? kind : undefined;
}
