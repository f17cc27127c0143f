import type { Pod } from '../schema/generated.js';
import type { ClusterView } from '../snapshot/cluster.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { kubectl } from './kubectl.js';
import type { Evidence, FindingDraft, Remediation, Rule } from './types.js';
import { tellingLines } from './util/logs.js';
import {
  containerEntries, containerLabel, describeTermination, eventMessage, lastTermination, oneLine, podFacts, statusLine, subjectOf,
  type ContainerEntry, podsWorthALook,
} from './util/pod-facts.js';
import { describeProbeFailures, probeFailures } from './util/probes.js';

/** Restarts of a container that is running and ready now, from which on it is worth a warning. */
export const RESTART_WARNING_THRESHOLD = 5;

const isCrashLooping = (entry: ContainerEntry) => entry.status.state?.waiting?.reason === 'CrashLoopBackOff';
const restartsOf = (entry: ContainerEntry) => entry.status.restartCount ?? 0;

function check(snapshot: Snapshot): FindingDraft[] {
  return snapshot.clusters.flatMap((cluster) => podsWorthALook(cluster).flatMap((pod) => findingFor(snapshot, cluster, pod)));
}

function findingFor(snapshot: Snapshot, cluster: ClusterView, pod: Pod): FindingDraft[] {
  const entries = containerEntries(pod);
  const crashing = entries.filter(isCrashLooping);
  const restarting = crashing.length > 0
    ? []
    : entries.filter((e) => e.status.state?.running && e.status.ready === true && restartsOf(e) >= RESTART_WARNING_THRESHOLD);
  const affected = crashing.length > 0 ? crashing : restarting;
  if (affected.length === 0) return [];

  const name = pod.metadata.name;
  const namespace = pod.metadata.namespace ?? 'default';
  const podSource = snapshot.sourceOf(pod);
  const restarts = Math.max(...affected.map(restartsOf));

  const sentences: string[] = affected.map((entry) => {
    const last = lastTermination(entry.status);
    const state = crashing.length > 0 ? 'is waiting in CrashLoopBackOff' : 'is running and ready now';
    const lastText = last ? `; last terminated: ${describeTermination(last)}${last.message ? ` — ${oneLine(last.message, 200)}` : ''}` : '';
    return `${capitalize(containerLabel(entry))} ${state} after ${restartsOf(entry)} restart${restartsOf(entry) === 1 ? '' : 's'}${lastText}.`;
  });

  const evidence: Evidence[] = affected.map((entry) => ({ source: podSource, text: statusLine(entry) }));

  // Startup and liveness probe failures are the usual reason a container that does not exit by itself is
  // restarted; readiness failures never restart anything (PROBE_FAILING reports them).
  const probes = probeFailures(cluster, pod).filter((p) => p.kind !== 'readiness');
  for (const probe of probes) {
    sentences.push(`${describeProbeFailures(probe)}.`);
    evidence.push({ source: snapshot.sourceOf(probe.latest), text: oneLine(eventMessage(probe.latest)) });
  }

  for (const entry of affected) {
    const log = cluster.log(namespace, name, entry.name, true);
    let lines = tellingLines(log);
    if (lines.length === 0 && log) {
      const lastLine = [...log.lines].reverse().find((l) => l.trim());
      lines = lastLine ? [oneLine(lastLine, 400)] : [];
    }
    if (log && lines.length > 0) evidence.push({ source: log.source, text: lines.join('\n') });
  }

  const remediation: Remediation[] = [];
  for (const entry of affected) {
    remediation.push({
      text: `Read the log of the crashed instance of ${containerLabel(entry)}`,
      command: kubectl(cluster, 'logs', name, '-n', namespace, '-c', entry.name, '--previous'),
    });
  }
  remediation.push({ text: 'See the container states, probe settings and events of the pod', command: kubectl(cluster, 'describe', 'pod', name, '-n', namespace) });

  const title = crashing.length > 0
    ? `${name} is in CrashLoopBackOff`
    : `${name} has restarted ${restarts} times`;

  return [{
    code: rule.meta.code,
    severity: crashing.length > 0 ? 'error' : 'warning',
    cluster: cluster.name,
    subject: subjectOf(pod),
    title,
    detail: sentences.join(' '),
    evidence,
    remediation,
    facts: { ...podFacts(cluster, pod), restarts },
  }];
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const rule: Rule = {
  meta: {
    code: 'POD_CRASHLOOP',
    severity: 'error',
    title: 'Pod in CrashLoopBackOff',
    docs: 'A container (or init container) that keeps crashing and is waiting in CrashLoopBackOff, with its last exit, the probe that kills it and the telling lines of its previous log. A container that is running and ready now but restarted 5 or more times is a warning.',
  },
  check,
};
