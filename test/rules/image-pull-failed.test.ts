import { describe, expect, it } from 'vitest';
import { rule } from '../../src/rules/image-pull-failed.js';
import { helmAnnotations, pod, workload } from '../fixtures/k8s.js';
import { KUBECONFIG, WORKLOAD, only, ownedBy, podEvent, run, v1PodEvent } from './helpers.js';

const IMAGE = 'registry.example.com/konnector/agent:v2.1.0';
const REGISTRY_ERROR = `rpc error: code = NotFound desc = failed to pull and unpack image "${IMAGE}": failed to resolve reference "${IMAGE}": ${IMAGE}: not found`;

function agent(waiting: { reason: string; message?: string }) {
  const deploy = workload('Deployment', 'konnector-agent', 'kommander', { images: [IMAGE], annotations: helmAnnotations('konnector-agent', 'kommander') });
  const rs = workload('ReplicaSet', 'konnector-agent-5f7d9', 'kommander', { images: [IMAGE], owner: ownedBy(deploy) });
  const p = pod('konnector-agent-5f7d9-abcde', 'kommander', { node: 'worker-1', owner: ownedBy(rs), containers: [{ name: 'agent', image: IMAGE, waiting }] });
  return { deploy, rs, pod: p };
}

describe('IMAGE_PULL_FAILED', () => {
  it('quotes the registry error of the kubelet Failed event for ImagePullBackOff', () => {
    const { deploy, rs, pod: p } = agent({ reason: 'ImagePullBackOff', message: `Back-off pulling image "${IMAGE}"` });
    const failed = podEvent(p, 'Failed', `Failed to pull image "${IMAGE}": ${REGISTRY_ERROR}`, { count: 4, container: 'agent' });
    const errEvent = podEvent(p, 'Failed', 'Error: ErrImagePull', { count: 4, container: 'agent' });
    const f = only(run(rule, [deploy, rs, p, failed, errEvent]));
    expect(f.code).toBe('IMAGE_PULL_FAILED');
    expect(f.severity).toBe('error');
    expect(f.subject).toEqual({ kind: 'Pod', namespace: 'kommander', name: 'konnector-agent-5f7d9-abcde' });
    expect(f.title).toBe(`konnector-agent-5f7d9-abcde cannot pull image ${IMAGE}`);
    expect(f.detail).toBe(`Container agent cannot pull image ${IMAGE} (ImagePullBackOff): ${REGISTRY_ERROR}.`);
    expect(f.evidence).toEqual([
      { source: 'fixture/clusters/dm-nkp-workload-1/cluster-resources/pods.json', text: expect.stringContaining('container agent: waiting: ImagePullBackOff') },
      { source: 'fixture/clusters/dm-nkp-workload-1/cluster-resources/events.json', text: `Failed to pull image "${IMAGE}": ${REGISTRY_ERROR}` },
    ]);
    expect(f.remediation[0]?.command).toBe(`kubectl describe pod konnector-agent-5f7d9-abcde -n kommander --kubeconfig=${KUBECONFIG}`);
    expect(f.facts).toEqual({
      pod: { cluster: WORKLOAD, kind: 'Pod', namespace: 'kommander', name: 'konnector-agent-5f7d9-abcde', node: 'worker-1', hostNetwork: false },
      workload: { cluster: WORKLOAD, kind: 'Deployment', namespace: 'kommander', name: 'konnector-agent' },
      release: { cluster: WORKLOAD, name: 'konnector-agent', namespace: 'kommander' },
    });
  });

  it('falls back to the waiting message of ErrImagePull, and reads events.k8s.io/v1 events', () => {
    const message = `failed to pull and unpack image "${IMAGE}": failed to do request: Head "https://registry.example.com/v2/konnector/agent/manifests/v2.1.0": dial tcp 10.0.0.9:443: i/o timeout`;
    const { pod: p } = agent({ reason: 'ErrImagePull', message });
    expect(only(run(rule, [p])).detail).toBe(`Container agent cannot pull image ${IMAGE} (ErrImagePull): ${message}.`);
    const v1 = v1PodEvent(p, 'Failed', `Failed to pull image "${IMAGE}": ${REGISTRY_ERROR}`, { seriesCount: 3 });
    expect(only(run(rule, [p, v1])).detail).toContain(`(ErrImagePull): ${REGISTRY_ERROR}`);
  });

  it('reports init containers and InvalidImageName', () => {
    const p = pod('web-1', 'apps', {
      node: 'n1',
      initContainers: [{ name: 'init', image: 'bad image:tag', waiting: { reason: 'InvalidImageName', message: 'Failed to apply default image tag "bad image:tag": couldn\'t parse image name' } }],
      containers: [{ name: 'web', waiting: { reason: 'PodInitializing' } }],
    });
    const f = only(run(rule, [p]));
    expect(f.title).toBe('web-1 cannot pull image bad image:tag');
    expect(f.detail).toContain('Init container init cannot pull image bad image:tag (InvalidImageName): Failed to apply default image tag');
  });

  it('says nothing about running pods or other waiting reasons', () => {
    const ok = pod('ok', 'default', { node: 'n1' });
    const creating = pod('creating', 'default', { node: 'n1', containers: [{ name: 'main', waiting: { reason: 'ContainerCreating' } }] });
    expect(run(rule, [ok, creating])).toEqual([]);
  });
});
