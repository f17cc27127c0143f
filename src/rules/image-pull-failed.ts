import type { Event, Pod } from '../schema/generated.js';
import type { ClusterView } from '../snapshot/cluster.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { kubectl } from './kubectl.js';
import type { Evidence, FindingDraft, Rule } from './types.js';
import {
  containerEntries, containerLabel, eventContainer, eventMessage, oneLine, podEvents, podFacts, statusLine, subjectOf, type ContainerEntry, podsWorthALook,
} from './util/pod-facts.js';

const PULL_FAILURES = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);
const FAILED_TO_PULL = /Failed to pull image "([^"]+)":\s*([\s\S]*)/;

/** The image a container runs (spec first: the status may still name the previous one). */
function imageOf(entry: ContainerEntry): string {
  return entry.spec?.image ?? entry.status.image ?? '?';
}

/** The latest kubelet `Failed` event about pulling this container's image, with the registry's error. */
function pullError(events: Event[], entry: ContainerEntry): { event: Event; error: string } | undefined {
  const image = imageOf(entry);
  for (const event of [...events].reverse()) {
    const match = FAILED_TO_PULL.exec(eventMessage(event));
    if (!match) continue;
    const named = eventContainer(event);
    if (named ? named.name !== entry.name : match[1] !== image) continue;
    return { event, error: (match[2] ?? '').trim() };
  }
  return undefined;
}

function findingFor(snapshot: Snapshot, cluster: ClusterView, pod: Pod): FindingDraft[] {
  const failing = containerEntries(pod).filter((e) => PULL_FAILURES.has(e.status.state?.waiting?.reason ?? ''));
  if (failing.length === 0) return [];
  const name = pod.metadata.name;
  const namespace = pod.metadata.namespace ?? 'default';
  const events = podEvents(cluster, pod, 'Failed');
  const sentences: string[] = [];
  const evidence: Evidence[] = [];
  for (const entry of failing) {
    const waiting = entry.status.state?.waiting;
    const found = pullError(events, entry);
    // ImagePullBackOff's own message is only `Back-off pulling image "..."`; the registry error is in the event.
    const error = found?.error || (waiting?.message && !/^Back-off pulling image/.test(waiting.message) ? waiting.message : '');
    sentences.push(`${containerLabel(entry).replace(/^./, (c) => c.toUpperCase())} cannot pull image ${imageOf(entry)} (${waiting?.reason})${error ? `: ${oneLine(error, 600)}` : '.'}`);
    evidence.push({ source: snapshot.sourceOf(pod), text: statusLine(entry) });
    if (found) evidence.push({ source: snapshot.sourceOf(found.event), text: oneLine(eventMessage(found.event), 1000) });
  }
  const images = [...new Set(failing.map(imageOf))];
  return [{
    code: rule.meta.code,
    severity: rule.meta.severity,
    cluster: cluster.name,
    subject: subjectOf(pod),
    title: `${name} cannot pull image ${images.join(', ')}`,
    detail: sentences.map((s) => (/[.!?]$/.test(s) ? s : `${s}.`)).join(' '),
    evidence,
    remediation: [
      { text: 'See the pull errors in the pod\'s events', command: kubectl(cluster, 'describe', 'pod', name, '-n', namespace) },
      { text: `Check that ${images.join(', ')} exists and that the nodes can reach its registry (mirror, proxy, credentials in imagePullSecrets)` },
    ],
    facts: podFacts(cluster, pod),
  }];
}

function check(snapshot: Snapshot): FindingDraft[] {
  return snapshot.clusters.flatMap((cluster) => podsWorthALook(cluster).flatMap((pod) => findingFor(snapshot, cluster, pod)));
}

export const rule: Rule = {
  meta: {
    code: 'IMAGE_PULL_FAILED',
    severity: 'error',
    title: 'Image cannot be pulled',
    docs: 'A container (or init container) waiting in ErrImagePull, ImagePullBackOff or InvalidImageName, with the image and the registry\'s error quoted from the kubelet\'s `Failed` event.',
    events: { reasons: ['Failed'] },
  },
  check,
};
