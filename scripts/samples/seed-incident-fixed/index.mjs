// The seed incident after the fixes of its report were applied: Cilium and the CCM running,
// nodes initialized, the pods scheduled, the three HRPs deployed. For `hrp-doctor diff`.

import { bundleFiles } from '../seed-incident/index.mjs';
import { buildMgmt } from '../seed-incident/mgmt.mjs';
import { buildWorkload } from '../seed-incident/workload.mjs';

const FIXED_AT = '2025-12-27T11:30:00Z';
const ROOT = 'hrp-doctor-dm-nkp-workload-1-20251227T113000Z';
const UNINITIALIZED = new Set(['node.cloudprovider.kubernetes.io/uninitialized', 'node.cluster.x-k8s.io/uninitialized']);

function allTrue(conditions = []) {
  return conditions.map((c) => {
    const { severity: _severity, ...rest } = c;
    return { ...rest, status: 'True', reason: c.type === 'Ready' || c.type === 'HelmReleaseReady' ? 'Ready' : c.reason, message: '', lastTransitionTime: '2025-12-27T11:20:00Z' };
  });
}

function repairMgmt(mgmt) {
  for (const o of mgmt.objects) {
    if (o.kind === 'HelmReleaseProxy') {
      o.status.status = 'deployed';
      o.status.revision = (o.status.revision ?? 1) + 1;
      o.status.conditions = allTrue(o.status.conditions);
      if (o.metadata.generation) o.status.observedGeneration = o.metadata.generation;
    } else if (o.kind === 'HelmChartProxy') {
      o.status.conditions = allTrue(o.status.conditions);
    } else if (o.kind === 'Machine' && !o.status.nodeRef) {
      o.status.phase = 'Running';
      o.status.nodeRef = { apiVersion: 'v1', kind: 'Node', name: o.metadata.name, uid: o.metadata.uid };
    }
  }
  mgmt.objects = mgmt.objects.filter((o) => !(o.kind === 'Event' && o.type === 'Warning'));
  return mgmt;
}

function repairWorkload(workload) {
  const nodes = workload.objects.filter((o) => o.kind === 'Node');
  const workers = nodes.filter((n) => !n.metadata.labels?.['node-role.kubernetes.io/control-plane']);
  let next = 0;
  for (const o of workload.objects) {
    if (o.kind === 'Node') {
      o.spec.taints = (o.spec.taints ?? []).filter((t) => !UNINITIALIZED.has(t.key));
      o.spec.providerID ??= `nutanix://${o.metadata.uid}`;
    } else if (o.kind === 'Pod' && o.status?.phase !== 'Succeeded') {
      if (!o.spec.nodeName) o.spec.nodeName = workers[next++ % workers.length].metadata.name;
      o.status.phase = 'Running';
      o.status.conditions = ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastTransitionTime: '2025-12-27T11:20:00Z' }));
      o.status.containerStatuses = (o.spec.containers ?? []).map((c) => ({
        name: c.name, image: c.image, imageID: '', ready: true, started: true, restartCount: 0,
        state: { running: { startedAt: '2025-12-27T11:20:00Z' } }, lastState: {},
      }));
    } else if (o.kind === 'DaemonSet') {
      const n = o.status.desiredNumberScheduled;
      Object.assign(o.status, { currentNumberScheduled: n, numberReady: n, numberAvailable: n, updatedNumberScheduled: n });
      delete o.status.numberUnavailable;
    } else if (o.kind === 'Deployment' || o.kind === 'StatefulSet' || o.kind === 'ReplicaSet') {
      const n = o.spec.replicas ?? 1;
      Object.assign(o.status, { replicas: n, readyReplicas: n, availableReplicas: n, updatedReplicas: n });
      delete o.status.unavailableReplicas;
      if (o.status.conditions) o.status.conditions = allTrue(o.status.conditions);
    } else if (o.kind === 'Job') {
      o.status = { succeeded: 1, completionTime: '2025-12-27T11:22:00Z', conditions: [{ type: 'Complete', status: 'True' }] };
    }
  }
  workload.objects = workload.objects.filter((o) => !(o.kind === 'Event' && o.type === 'Warning'));
  workload.logs = workload.logs.filter((l) => !l.previous);
  return workload;
}

export function build() {
  const workload = buildWorkload();
  const mgmt = buildMgmt();
  const files = bundleFiles(repairMgmt(mgmt), repairWorkload(workload), { root: ROOT, createdAt: FIXED_AT });
  return [{ name: 'seed-incident-fixed', dir: 'samples/seed-incident-fixed', tgz: 'samples/seed-incident-fixed.tgz', files }];
}
