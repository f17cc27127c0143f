import type { Event, PersistentVolumeClaim, Pod, StorageClass } from '../schema/generated.js';
import type { ClusterView } from '../snapshot/cluster.js';
import { eventMessage } from '../snapshot/cluster.js';
import { podsOfComponent } from '../snapshot/components.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { kubectl } from './kubectl.js';
import type { Evidence, FindingDraft, ObjectRef, Remediation, Rule } from './types.js';
import { collected } from './util/capi.js';
import { objectRef, oneLine, plural, releaseRef, subjectOf } from './util/pod-facts.js';

const DEFAULT_CLASS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

function isDefault(sc: StorageClass): boolean {
  return DEFAULT_CLASS.some((a) => sc.metadata.annotations?.[a] === 'true');
}

/** Pods that mount the claim. */
function consumersOf(cluster: ClusterView, pvc: PersistentVolumeClaim): Pod[] {
  return cluster.list('Pod', pvc.metadata.namespace).filter((p) => (p.spec.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === pvc.metadata.name));
}

/** Whether a pod is not running and ready. */
function podNotReady(pod: Pod): boolean {
  if (pod.status?.phase !== 'Running') return true;
  return (pod.status.containerStatuses ?? []).some((s) => !s.ready);
}

/** The pods that run a provisioner: those whose command, args or env name it (CSI drivers pass their name), else the CSI pods of the cluster. */
function provisionerPods(cluster: ClusterView, provisioner: string): Pod[] {
  const mentions = cluster.list('Pod').filter((p) =>
    [...p.spec.containers, ...(p.spec.initContainers ?? [])].some((c) =>
      [...(c.command ?? []), ...(c.args ?? []), ...(c.env ?? []).map((e) => e.value ?? '')].some((s) => s.includes(provisioner))));
  if (mentions.length > 0) return mentions;
  return podsOfComponent(cluster, 'csi');
}

/** In-tree and built-in provisioners run inside kube-controller-manager, not in pods. */
const IN_TREE = /^kubernetes\.io\//;

function describePod(pod: Pod): string {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const waiting = statuses.find((s) => s.state?.waiting?.reason && s.state.waiting.reason !== 'PodInitializing')?.state?.waiting?.reason;
  return `${pod.metadata.name} (${waiting ?? (pod.spec.nodeName ? (podNotReady(pod) ? 'not ready' : 'ready') : 'Pending')})`;
}

function pvcEvents(cluster: ClusterView, pvc: PersistentVolumeClaim): Event[] {
  return cluster.eventsFor('PersistentVolumeClaim', pvc.metadata.namespace, pvc.metadata.name);
}

function findingFor(snapshot: Snapshot, cluster: ClusterView, pvc: PersistentVolumeClaim, classes: StorageClass[], classesCollected: boolean): FindingDraft[] {
  if (pvc.status?.phase !== 'Pending' || pvc.metadata.deletionTimestamp) return [];
  const namespace = pvc.metadata.namespace ?? 'default';
  const name = pvc.metadata.name;
  const requested = pvc.spec?.storageClassName;
  const defaults = classes.filter(isDefault);
  const className = requested ?? (defaults.length === 1 ? defaults[0]!.metadata.name : undefined);
  const sc = className ? classes.find((c) => c.metadata.name === className) : undefined;
  const consumers = consumersOf(cluster, pvc);
  const events = pvcEvents(cluster, pvc);
  const latest = events.at(-1);
  const waitForConsumer = sc?.volumeBindingMode === 'WaitForFirstConsumer' || latest?.reason === 'WaitForFirstConsumer';
  // A WaitForFirstConsumer claim is Pending by design until a pod that uses it is scheduled.
  if (waitForConsumer && consumers.length === 0) return [];

  const sentences: string[] = [];
  const remediation: Remediation[] = [{ text: 'See the claim\'s events', command: kubectl(cluster, 'describe', 'pvc', name, '-n', namespace) }];
  const dependsOn: ObjectRef[] = [];
  let why: string;
  if (requested === '') {
    why = 'no PersistentVolume matches';
    sentences.push('It asks for a pre-created PersistentVolume (storageClassName ""), and none matches its size and access modes.');
  } else if (requested === undefined && classesCollected && defaults.length === 0) {
    why = 'no default StorageClass';
    sentences.push('It names no StorageClass and the cluster has no default StorageClass, so nothing provisions a volume for it.');
    const candidate = classes[0]?.metadata.name;
    remediation.push({
      text: candidate ? `Mark a StorageClass as the default (or set storageClassName in the chart's values): ${candidate} is there` : 'Install a storage provisioner (CSI driver) and a default StorageClass, or set storageClassName in the chart\'s values',
      ...(candidate ? { command: kubectl(cluster, 'patch', 'storageclass', candidate, '-p', JSON.stringify({ metadata: { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } })) } : {}),
    });
  } else if (className && !sc && classesCollected) {
    why = `StorageClass ${className} does not exist`;
    sentences.push(`It asks for StorageClass ${className}, which does not exist in the cluster${classes.length > 0 ? ` (there are: ${classes.map((c) => c.metadata.name).join(', ')})` : ''}.`);
    remediation.push({ text: `Create StorageClass ${className}, or set the chart's storageClass value to an existing one` });
  } else {
    const provisioner = sc?.provisioner;
    why = provisioner ? `provisioner ${provisioner} has not provisioned it` : 'not provisioned';
    sentences.push(`StorageClass ${className ?? '(default)'}${provisioner ? ` (provisioner ${provisioner}${sc?.volumeBindingMode ? `, ${sc.volumeBindingMode}` : ''})` : ''} has not provisioned a volume for it.`);
    if (provisioner && !IN_TREE.test(provisioner)) {
      const pods = provisionerPods(cluster, provisioner);
      const down = pods.filter(podNotReady);
      for (const pod of pods) {
        dependsOn.push(objectRef(cluster, pod));
        const owner = cluster.topOwner(pod);
        if (owner !== pod && !dependsOn.some((d) => d.kind === owner.kind && d.name === owner.metadata.name && d.namespace === owner.metadata.namespace)) dependsOn.push(objectRef(cluster, owner));
      }
      if (pods.length === 0) {
        why = `no pod runs provisioner ${provisioner}`;
        sentences.push(`No pod in the cluster runs the provisioner ${provisioner}: the CSI driver is not installed or not running.`);
      } else if (down.length > 0) {
        why = `provisioner ${provisioner} is not ready`;
        sentences.push(`The provisioner's pods are not all ready: ${down.slice(0, 5).map(describePod).join(', ')}.`);
      }
      const first = pods[0];
      if (first) remediation.push({ text: 'Check the storage provisioner\'s pods', command: kubectl(cluster, 'get', 'pods', '-n', first.metadata.namespace ?? 'default', '-o', 'wide') });
    }
  }
  const failure = [...events].reverse().find((e) => e.reason === 'ProvisioningFailed' || e.reason === 'FailedBinding' || e.reason === 'ExternalProvisioning');
  if (failure) sentences.push(`${failure.reason}: ${oneLine(eventMessage(failure), 400)}`);
  if (consumers.length > 0) sentences.push(`${plural(consumers.length, 'pod')} wait${consumers.length === 1 ? 's' : ''} for it: ${consumers.slice(0, 5).map((p) => p.metadata.name).join(', ')}.`);

  const evidence: Evidence[] = [{
    source: snapshot.sourceOf(pvc),
    text: `phase=Pending storageClassName=${requested === undefined ? '(unset)' : requested === '' ? '""' : requested}${pvc.spec?.resources?.requests?.['storage'] !== undefined ? ` requests.storage=${pvc.spec.resources.requests['storage']}` : ''}`,
  }];
  if (failure) evidence.push({ source: snapshot.sourceOf(failure), text: `${failure.reason}: ${oneLine(eventMessage(failure), 800)}` });
  const release = releaseRef(cluster, pvc);

  return [{
    code: rule.meta.code,
    severity: rule.meta.severity,
    cluster: cluster.name,
    subject: subjectOf(pvc),
    title: `PersistentVolumeClaim ${name} is Pending: ${why}`,
    detail: sentences.join(' '),
    evidence,
    remediation,
    facts: {
      ...(release ? { release } : {}),
      ...(consumers.length > 0 ? { consumers: consumers.map((p) => objectRef(cluster, p)) } : {}),
      ...(dependsOn.length > 0 ? { dependsOn } : {}),
    },
  }];
}

function check(snapshot: Snapshot): FindingDraft[] {
  return snapshot.clusters.flatMap((cluster) => {
    const classes = cluster.list('StorageClass');
    const classesCollected = collected(cluster, 'StorageClass', 'storageclasses', 'storage-classes');
    return cluster.list('PersistentVolumeClaim').flatMap((pvc) => findingFor(snapshot, cluster, pvc, classes, classesCollected));
  });
}

export const rule: Rule = {
  meta: {
    code: 'PVC_PENDING',
    severity: 'error',
    title: 'PersistentVolumeClaim not bound',
    docs: 'A PersistentVolumeClaim stuck Pending: no StorageClass and no default one, a StorageClass that does not exist, or a provisioner (CSI driver) that is not running or failed (ProvisioningFailed), naming the pods that wait for it. WaitForFirstConsumer claims that no pod uses yet are left alone. It explains its pods\' `pod has unbound immediate PersistentVolumeClaims`.',
    events: { involvedKinds: ['PersistentVolumeClaim'] },
  },
  check,
};
