import type { Pod } from '../schema/generated.js';
import type { ClusterView } from '../snapshot/cluster.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { kubectl } from './kubectl.js';
import type { FindingDraft, Remediation, Rule, Severity } from './types.js';
import { containerEntries, eventMessage, oneLine, podFacts, subjectOf, podsWorthALook } from './util/pod-facts.js';
import { describeProbeFailures, probeFailures, probeKindTitle, type ProbeFailures } from './util/probes.js';

const CONSEQUENCE: Record<ProbeFailures['kind'], string> = {
  startup: 'Until the startup probe succeeds the other probes do not run; after failureThreshold failures in a row the kubelet restarts the container.',
  liveness: 'After failureThreshold failures in a row the kubelet restarts the container.',
  readiness: 'While it fails the pod is not ready: it is left out of Service endpoints and does not count towards its workload\'s ready replicas.',
};

function check(snapshot: Snapshot): FindingDraft[] {
  return snapshot.clusters.flatMap((cluster) => podsWorthALook(cluster).flatMap((pod) => findingsFor(snapshot, cluster, pod)));
}

/** Whether the probed container (every container when the event does not say) is running and ready now. */
function readyNow(pod: Pod, probe: ProbeFailures): boolean {
  const entries = containerEntries(pod).filter((e) => !e.init && (probe.container === undefined || e.name === probe.container));
  return entries.length > 0 && entries.every((e) => e.status.ready === true && e.status.state?.running !== undefined);
}

function findingsFor(snapshot: Snapshot, cluster: ClusterView, pod: Pod): FindingDraft[] {
  const name = pod.metadata.name;
  const namespace = pod.metadata.namespace ?? 'default';
  return probeFailures(cluster, pod).map((probe): FindingDraft => {
    const recovered = readyNow(pod, probe);
    // A probe that failed while the container started and passes now is history, not a problem.
    const severity: Severity = recovered ? 'info' : 'warning';
    const kind = probeKindTitle(probe.kind);
    const detail = [
      `${describeProbeFailures(probe, true)}.`,
      probe.error ? `Last failure: ${sentence(oneLine(probe.error, 400))}` : '',
      recovered ? 'The container is ready now: the probe has passed since.' : CONSEQUENCE[probe.kind],
    ].filter(Boolean).join(' ');
    const remediation: Remediation[] = [
      { text: 'See the probe settings and the latest probe failures of the pod', command: kubectl(cluster, 'describe', 'pod', name, '-n', namespace) },
    ];
    if (probe.container) {
      remediation.push({
        text: `Read the log of container ${probe.container} for why it does not answer its ${probe.kind} probe`,
        command: kubectl(cluster, 'logs', name, '-n', namespace, '-c', probe.container),
      });
    }
    return {
      code: rule.meta.code,
      severity,
      cluster: cluster.name,
      subject: subjectOf(pod),
      title: recovered ? `${kind} probe of ${name} failed ${probe.failures === 1 ? 'once' : `${probe.failures} times`} (ready now)` : `${kind} probe of ${name} is failing`,
      detail,
      evidence: [{ source: snapshot.sourceOf(probe.latest), text: oneLine(eventMessage(probe.latest)) }],
      remediation,
      facts: {
        ...podFacts(cluster, pod),
        probe: {
          kind: probe.kind,
          ...(probe.port ? { port: probe.port } : {}),
          ...(probe.path ? { path: probe.path } : {}),
          failures: probe.failures,
        },
      },
    };
  });
}

function sentence(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

export const rule: Rule = {
  meta: {
    code: 'PROBE_FAILING',
    severity: 'warning',
    title: 'Probe failing',
    docs: 'Startup, liveness or readiness probe failures reported by the kubelet (`Unhealthy` events), one finding per pod and probe kind, naming the port, path and number of failures. A probe of a container that is ready now is reported as info.',
    events: { reasons: ['Unhealthy'] },
  },
  check,
};
