import { describe, expect, it } from 'vitest';
import { podsWorthALook } from '../../src/rules/util/pod-facts.js';
import { event, pod } from '../fixtures/k8s.js';
import { snapshotOf } from '../fixtures/snapshot.js';
import { wlCluster } from './chain-helpers.js';

const names = (objects: object[]) => podsWorthALook(snapshotOf(wlCluster(objects)).clusters[0]!).map((p) => p.metadata.name).sort();

describe('the pods the pod rules look at', () => {
  const atRest = pod('web-1', 'shop', { node: 'n1' });
  const done = pod('migrate-1', 'shop', { node: 'n1', phase: 'Succeeded', containers: [{ name: 'main', ready: false, terminated: { exitCode: 0, reason: 'Completed' } }] });

  it('leaves out pods running and ready, or completed, that never restarted and have no event kept', () => {
    expect(names([atRest, done])).toEqual([]);
  });

  it.each([
    ['pending', pod('p', 'shop')],
    ['restarted once', pod('p', 'shop', { node: 'n1', containers: [{ name: 'main', ready: true, restartCount: 1 }] })],
    ['an earlier termination', pod('p', 'shop', { node: 'n1', containers: [{ name: 'main', ready: true, lastTerminated: { exitCode: 137, reason: 'OOMKilled' } }] })],
    ['a container not ready', pod('p', 'shop', { node: 'n1', containers: [{ name: 'main', ready: false }] })],
    ['a container waiting', pod('p', 'shop', { node: 'n1', containers: [{ name: 'main', waiting: { reason: 'CrashLoopBackOff' } }] })],
    ['completed with an error', pod('p', 'shop', { node: 'n1', phase: 'Succeeded', containers: [{ name: 'main', ready: false, terminated: { exitCode: 1, reason: 'Error' } }] })],
    ['an init container that failed', pod('p', 'shop', { node: 'n1', initContainers: [{ name: 'init', ready: false, terminated: { exitCode: 1, reason: 'Error' } }] })],
    ['an init container still running', pod('p', 'shop', { node: 'n1', initContainers: [{ name: 'init', ready: true }] })],
    ['Ready False', pod('p', 'shop', { node: 'n1', conditions: [{ type: 'Ready', status: 'False' }] })],
    ['no conditions', pod('p', 'shop', { node: 'n1', conditions: [] })],
    ['evicted', { ...atRest, metadata: { ...atRest.metadata, name: 'p' }, status: { ...atRest.status, phase: 'Failed', reason: 'Evicted' } }],
    ['being deleted', { ...atRest, metadata: { ...atRest.metadata, name: 'p', deletionTimestamp: '2025-12-27T10:00:00Z' } }],
  ])('looks at a pod with %s', (_why, worth) => {
    expect(names([atRest, done, worth])).toEqual(['p']);
  });

  it('looks at a pod at rest that a kept event is about (a probe that failed and passed since)', () => {
    const probe = event({ kind: 'Pod', name: 'web-1', namespace: 'shop' }, 'Unhealthy', 'Startup probe failed: connection refused');
    expect(names([atRest, probe])).toEqual(['web-1']);
    // A Normal lifecycle event no rule reads is not kept, and changes nothing.
    const pulled = event({ kind: 'Pod', name: 'web-1', namespace: 'shop' }, 'Pulled', 'Successfully pulled image', { type: 'Normal' });
    expect(names([atRest, pulled])).toEqual([]);
  });
});
