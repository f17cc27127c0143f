import type { Container, Pod } from '../schema/generated.js';
import type { ClusterView } from './cluster.js';
import type { AnyObject } from './kinds.js';

/**
 * Platform components the diagnosis reasons about, recognised by what runs (images, labels),
 * never by an object's name: a CNI called anything is still a CNI.
 */
export interface ComponentSignature {
  component: 'cni' | 'cni-operator' | 'ccm' | 'csi' | 'kube-vip' | 'coredns' | 'caaph';
  /** The product, for the report ("Cilium", "Calico"...). */
  product: string;
  images?: RegExp[];
  labels?: Record<string, string>;
}

export const COMPONENT_SIGNATURES: ComponentSignature[] = [
  { component: 'cni-operator', product: 'Cilium', images: [/cilium\/operator/] },
  { component: 'cni', product: 'Cilium', images: [/(^|\/)cilium\/cilium[:@]|(^|\/)cilium:/], labels: { 'k8s-app': 'cilium' } },
  { component: 'cni-operator', product: 'Calico', images: [/calico\/kube-controllers|tigera\/operator/] },
  { component: 'cni', product: 'Calico', images: [/calico\/node[:@]/], labels: { 'k8s-app': 'calico-node' } },
  { component: 'cni', product: 'Flannel', images: [/flannel[:@/]/], labels: { app: 'flannel' } },
  { component: 'cni', product: 'Antrea', images: [/antrea-agent|antrea\/antrea/], labels: { component: 'antrea-agent' } },
  { component: 'cni', product: 'Weave Net', images: [/weaveworks\/weave-kube/] },
  { component: 'ccm', product: 'cloud controller manager', images: [/cloud-controller-manager|cloud-provider-[a-z]+|provider-[a-z]+-ccm/], labels: { 'k8s-app': 'cloud-controller-manager' } },
  { component: 'csi', product: 'CSI driver', images: [/csi[-_/]|-csi[:@]/] },
  { component: 'kube-vip', product: 'kube-vip', images: [/kube-vip/] },
  { component: 'coredns', product: 'CoreDNS', images: [/coredns/], labels: { 'k8s-app': 'kube-dns' } },
  // The CAAPH controller that runs Helm for the HelmReleaseProxies (management cluster).
  { component: 'caaph', product: 'CAAPH controller', images: [/cluster-api-helm-controller|cluster-api-addon-provider-helm/] },
];

export interface ComponentMatch {
  component: ComponentSignature['component'];
  product: string;
}

function podSpecOf(obj: AnyObject): { containers?: Container[]; initContainers?: Container[] | null } | undefined {
  const spec = (obj as { spec?: { containers?: Container[]; template?: { spec?: { containers?: Container[] } } } }).spec;
  return spec?.template?.spec ?? spec;
}

/** A label of the object, or of its pod template (the object's own label wins). */
function labelOf(obj: AnyObject, key: string): string | undefined {
  const template = (obj as { spec?: { template?: { metadata?: { labels?: Record<string, string> } } } }).spec?.template;
  return obj.metadata.labels?.[key] ?? template?.metadata?.labels?.[key];
}

/** Any signature's image pattern: most images of a big cluster match none, and one test says so. */
const ANY_SIGNATURE_IMAGE = new RegExp(COMPONENT_SIGNATURES.flatMap((s) => s.images ?? []).map((re) => `(?:${re.source})`).join('|'));

/** Snapshot objects do not change once built: each is judged once (rules ask about every pod several times). */
const judged = new WeakMap<AnyObject, ComponentMatch | null>();

/** Which platform component a pod or workload is, judged by its main containers' images, then its labels. */
export function componentOf(obj: AnyObject): ComponentMatch | undefined {
  let match = judged.get(obj);
  if (match === undefined) judged.set(obj, (match = judge(obj) ?? null));
  return match ?? undefined;
}

function judge(obj: AnyObject): ComponentMatch | undefined {
  const images = (podSpecOf(obj)?.containers ?? []).map((c) => c.image ?? '');
  if (images.some((image) => ANY_SIGNATURE_IMAGE.test(image))) {
    for (const signature of COMPONENT_SIGNATURES) {
      if (signature.images?.some((re) => images.some((image) => re.test(image)))) return { component: signature.component, product: signature.product };
    }
  }
  for (const signature of COMPONENT_SIGNATURES) {
    const wanted = Object.entries(signature.labels ?? {});
    if (wanted.length > 0 && wanted.every(([k, v]) => labelOf(obj, k) === v)) return { component: signature.component, product: signature.product };
  }
  return undefined;
}

/** The component of an object, looking at its outermost owner when the object itself says nothing. */
export function componentInCluster(cluster: ClusterView, obj: AnyObject): ComponentMatch | undefined {
  return componentOf(obj) ?? componentOf(cluster.topOwner(obj));
}

/** The cluster's pods that are the given component (by componentInCluster), from an index built once. */
export function podsOfComponent(cluster: ClusterView, component: ComponentMatch['component']): Pod[] {
  const index = cluster.derived('podsByComponent', () => {
    const byComponent = new Map<ComponentMatch['component'], Pod[]>();
    for (const pod of cluster.list('Pod')) {
      const match = componentInCluster(cluster, pod);
      if (!match) continue;
      const pods = byComponent.get(match.component);
      if (pods) pods.push(pod);
      else byComponent.set(match.component, [pod]);
    }
    return byComponent;
  });
  return [...(index.get(component) ?? [])];
}
