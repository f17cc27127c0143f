import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readInputs } from '../../src/bundle/read.js';
import type { InputSpec } from '../../src/bundle/types.js';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import { RULES } from '../../src/rules/index.js';
import { latestEventTime } from '../../src/rules/util/capi.js';
import { SnapshotBuilder } from '../../src/snapshot/build.js';
import { eventFilter, eventPolicyFor } from '../../src/snapshot/event-interest.js';
import type { Event } from '../../src/schema/generated.js';
import { event } from '../fixtures/k8s.js';

const SAMPLES = new URL('../../samples/', import.meta.url).pathname;
const REAL = new URL('../../../shared/real-bundles/', import.meta.url).pathname;

describe('which events the snapshot keeps', () => {
  const keep = eventFilter(eventPolicyFor([
    { involvedKinds: ['Node'] },
    { reasons: ['Unhealthy'] },
    { messages: [/failed calling webhook "([^"]+)"/g] },
  ]));
  const pod = { kind: 'Pod', name: 'web-1', namespace: 'shop' };

  it('keeps every Warning event and the Normal ones a rule declares it reads', () => {
    expect(keep(event(pod, 'BackOff', 'Back-off restarting failed container') as Event)).toBe(true);
    expect(keep(event({ kind: 'Node', name: 'worker-1' }, 'NodeHasSufficientMemory', 'ok', { type: 'Normal' }) as Event)).toBe(true);
    expect(keep(event(pod, 'Unhealthy', 'Startup probe failed', { type: 'Normal' }) as Event)).toBe(true);
    expect(keep(event(pod, 'Created', 'Error creating: failed calling webhook "x.example.com": timeout', { type: 'Normal' }) as Event)).toBe(true);
    // The g flag of a declared pattern must not make a second test fail (lastIndex).
    expect(keep(event(pod, 'Created', 'failed calling webhook "y": timeout', { type: 'Normal' }) as Event)).toBe(true);
  });

  it('keeps no Normal event when no rule declares one', () => {
    expect(eventFilter(eventPolicyFor([]))(event(pod, 'Unhealthy', 'x', { type: 'Normal' }) as Event)).toBe(false);
  });

  it('only counts the other Normal events, with their time', () => {
    expect(keep(event(pod, 'Pulled', 'Successfully pulled image', { type: 'Normal' }) as Event)).toBe(false);
    expect(keep(event(pod, 'Scheduled', 'Successfully assigned shop/web-1', { type: 'Normal' }) as Event)).toBe(false);
  });

  it('counts summarized events once each, keeps their latest time, and still reports broken ones', () => {
    const input = 'fixture.tgz';
    const builder = new SnapshotBuilder([{ path: input }], eventPolicyFor([]));
    const cluster = { input, dir: 'fixture/clusters/c' };
    const origin = (pointer: string) => ({ cluster, source: 'events.json', pointer });
    const warning = event(pod, 'BackOff', 'Back-off', { last: '2025-12-27T10:00:00Z' });
    const normal = event(pod, 'Pulled', 'pulled', { type: 'Normal', last: '2025-12-27T11:30:00Z' });
    builder.object(warning, origin('/items/0'));
    builder.object(normal, origin('/items/1'));
    builder.object(normal, origin('/items/2'));
    builder.object({ ...event(pod, 'Started', 'started', { type: 'Normal' }), metadata: { namespace: 'shop' } }, origin('/items/3'));
    builder.cluster({ cluster, inputKind: 'troubleshoot', resourcesSeen: new Set(['events']) });
    const snapshot = builder.build();
    const view = snapshot.clusters[0]!;
    expect(view.list('Event').map((e) => e.reason)).toEqual(['BackOff']);
    expect(view.count('Event')).toBe(2);
    expect(latestEventTime(view)).toBe(Date.parse('2025-12-27T11:30:00Z'));
    expect(snapshot.problems.map((p) => `${p.pointer} ${p.message}`)).toEqual(["/items/3/metadata Event left out: must have property 'name'"]);
  });

  // The rules' declarations (RuleMeta.events) are what make dropping the other events safe: on every
  // bundle at hand, the findings are the same as with every event kept.
  const bundles: InputSpec[][] = [
    [{ path: join(SAMPLES, 'seed-incident.tgz') }],
    [{ path: join(SAMPLES, 'seed-incident-fixed.tgz') }],
    [{ path: join(SAMPLES, 'healthy.tgz') }],
    [{ path: join(SAMPLES, 'imagepull-airgapped', 'mgmt.tgz') }, { path: join(SAMPLES, 'imagepull-airgapped', 'workload-troubleshoot.tgz'), clusterName: 'edge-7' }],
    [{ path: join(REAL, 'troubleshoot-k3s-baseline-v0.123.tar.gz') }],
    [{ path: join(REAL, 'sbctl-kurl-velero.tar.gz') }],
    [{ path: join(REAL, 'troubleshoot-v0.50-old-layout.tar.gz') }],
  ];
  it.each(bundles)('finds the same with only the events the rules declare: %o', async (...inputs) => {
    const findings = async (policy: boolean) => {
      const builder = new SnapshotBuilder(inputs, policy ? eventPolicyFor(RULES.map((r) => r.meta.events)) : undefined);
      await readInputs(inputs, builder);
      const snapshot = builder.build();
      return { findings: diagnose(snapshot, RULES).findings, events: snapshot.clusters.map((c) => c.count('Event')) };
    };
    const all = await findings(false);
    expect(all.events.length).toBeGreaterThan(0);
    expect(await findings(true)).toEqual(all);
  });
});
