import type { Pod } from '../schema/generated.js';
import type { ClusterView } from '../snapshot/cluster.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { kubectl } from './kubectl.js';
import type { Evidence, FindingDraft, Rule } from './types.js';
import { eventMessage, oneLine, plural, podEvents, podFacts, subjectOf, podsWorthALook } from './util/pod-facts.js';
import { blockingTaints, formatTaint } from './util/taints.js';

/** What the scheduler said, taken apart. */
export interface SchedulingMessage {
  /** `0/4` from `0/4 nodes are available`. */
  available?: string;
  /** The per-node reasons that are not about taints (`1 node(s) didn't have free ports for the requested pod ports`). */
  otherReasons: string[];
  /** Taints the message names (older Kubernetes: `3 node(s) had untolerated taint {key: value}`). */
  namedTaints: { key: string; value: string; nodes?: number }[];
  /** Whether any node was rejected for its taints (or the message does not say why nodes were rejected). */
  taintsMatter: boolean;
}

const AVAILABLE = /(\d+\/\d+) nodes are available:?\s*/;
const NAMED_TAINT = /(?:(\d+) node\(s\) )?had (?:untolerated )?taints? \{([^:{}]+):\s*([^}]*)\}/g;

/** Parses a FailedScheduling message of any Kubernetes version since 1.18. */
export function parseSchedulingMessage(message: string): SchedulingMessage {
  const text = message.replace(/\s+/g, ' ').trim();
  const namedTaints = [...text.matchAll(NAMED_TAINT)].map((m) => ({
    key: (m[2] ?? '').trim(),
    value: (m[3] ?? '').trim(),
    ...(m[1] ? { nodes: Number(m[1]) } : {}),
  }));
  const available = AVAILABLE.exec(text);
  if (!available) {
    return { otherReasons: text && !/taint/i.test(text) ? [text.replace(/\.$/, '')] : [], namedTaints, taintsMatter: !text || /taint/i.test(text) };
  }
  let body = text.slice(available.index + available[0].length);
  body = body.split(/\.?\s*preemption:/i)[0] ?? body;
  body = body.replace(/\.\s*$/, '');
  const items = body.split(/,\s*(?=\d+\s)/).map((s) => s.trim()).filter(Boolean);
  const otherReasons = items.filter((item) => !/taint/i.test(item));
  return { available: available[1], otherReasons, namedTaints, taintsMatter: items.length === 0 || items.some((item) => /taint/i.test(item)) };
}

/** The scheduler's non-taint reasons, as stable keys the causal table can match on. */
const REASON_KEYS: [RegExp, string][] = [
  [/Insufficient \S+|Too many pods/i, 'insufficient-resources'],
  [/didn't match Pod's node affinity|node affinity\/selector|didn't match node selector|node\(s\) didn't match node selector/i, 'node-affinity'],
  [/pod affinity|pod anti-affinity|anti-affinity rules/i, 'pod-affinity'],
  [/unbound immediate PersistentVolumeClaims|persistentvolumeclaim "[^"]*" not found|didn't find available persistent volumes|waiting for .*volume|VolumeBinding/i, 'unbound-pvc'],
  [/volume node affinity conflict|exceed max volume count/i, 'volume-node-affinity'],
  [/free ports/i, 'free-ports'],
  [/topology spread constraints/i, 'topology-spread'],
  [/were unschedulable|node\(s\) were unschedulable/i, 'node-unschedulable'],
];

export function schedulingReasonKeys(reasons: string[]): string[] {
  const keys = reasons.map((r) => REASON_KEYS.find(([re]) => re.test(r))?.[1] ?? 'other');
  return [...new Set(keys)];
}

/** Pending, not bound to a node, and either marked Unschedulable or the subject of FailedScheduling events. */
function isUnschedulable(cluster: ClusterView, pod: Pod): boolean {
  if (pod.spec.nodeName) return false;
  if ((pod.status?.phase ?? 'Pending') !== 'Pending') return false;
  const condition = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (condition?.status === 'True') return false;
  const unschedulable = condition?.status === 'False' && condition.reason === 'Unschedulable';
  return unschedulable || podEvents(cluster, pod, 'FailedScheduling').length > 0;
}

function check(snapshot: Snapshot): FindingDraft[] {
  return snapshot.clusters.flatMap((cluster) => {
    const nodes = cluster.list('Node');
    return podsWorthALook(cluster).flatMap((pod): FindingDraft[] => {
      if (!isUnschedulable(cluster, pod)) return [];
      const latest = podEvents(cluster, pod, 'FailedScheduling').at(-1);
      const condition = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
      const message = latest ? eventMessage(latest) : condition?.message ?? '';
      const evidence: Evidence[] = message
        ? [{ source: snapshot.sourceOf(latest ?? pod), text: oneLine(message, 1000) }]
        : [{ source: snapshot.sourceOf(pod), text: `PodScheduled=${condition?.status ?? 'unknown'} (${condition?.reason ?? 'no reason'})` }];
      const parsed = parseSchedulingMessage(message);
      const facts = podFacts(cluster, pod);

      const computed = parsed.taintsMatter ? blockingTaints(pod, nodes) : [];
      const taintTexts = computed.map((b) => `${formatTaint(b.taint)} on ${plural(b.nodes.length, 'node')}`);
      const taintKeys = computed.map((b) => b.taint.key);
      for (const named of parsed.namedTaints) {
        if (taintKeys.includes(named.key)) continue;
        taintKeys.push(named.key);
        taintTexts.push(`${named.key}${named.value ? `=${named.value}` : ''}${named.nodes !== undefined ? ` on ${plural(named.nodes, 'node')}` : ''} (named by the scheduler)`);
      }

      const name = pod.metadata.name;
      const namespace = pod.metadata.namespace ?? 'default';
      const sentences = [`Pending${parsed.available ? `: ${parsed.available} nodes are available` : ''}.`];
      if (taintTexts.length > 0) sentences.push(`Untolerated taints: ${taintTexts.join(', ')}.`);
      if (parsed.otherReasons.length > 0) sentences.push(`${taintTexts.length > 0 ? 'Also' : 'Reasons'}: ${parsed.otherReasons.join('; ')}.`);
      const selector = Object.entries(pod.spec.nodeSelector ?? {});
      if (parsed.otherReasons.some((r) => /affinity|selector/i.test(r)) && selector.length > 0) {
        sentences.push(`The pod's nodeSelector is ${selector.map(([k, v]) => `${k}=${v}`).join(', ')}.`);
      }
      if (taintTexts.length === 0 && parsed.otherReasons.length === 0 && !message) sentences.push('The scheduler gave no reason.');
      if (facts.release?.hook) {
        sentences.push(`It runs the ${facts.release.hook} hook of Helm release ${facts.release.name}: Helm waits for it and times out while it cannot run.`);
      }

      return [{
        code: rule.meta.code,
        severity: rule.meta.severity,
        cluster: cluster.name,
        subject: subjectOf(pod),
        title: `${name} cannot be scheduled`,
        detail: sentences.join(' '),
        evidence,
        remediation: [
          { text: 'See the scheduler\'s reasons in the pod\'s events', command: kubectl(cluster, 'describe', 'pod', name, '-n', namespace) },
          { text: 'Show the taints of every node', command: kubectl(cluster, 'get', 'nodes', '-o', 'custom-columns=NAME:.metadata.name,TAINTS:.spec.taints') },
        ],
        facts: {
          ...facts,
          ...(taintKeys.length > 0 ? { taints: taintKeys } : {}),
          ...(parsed.otherReasons.length > 0 ? { schedulingReasons: schedulingReasonKeys(parsed.otherReasons) } : {}),
        },
      }];
    });
  });
}

export const rule: Rule = {
  meta: {
    code: 'POD_UNSCHEDULABLE',
    severity: 'error',
    title: 'Pod cannot be scheduled',
    docs: 'A Pending pod the scheduler cannot place (FailedScheduling). The blocking taints are worked out from the nodes and the pod\'s tolerations, since newer Kubernetes no longer names them; other reasons (free ports, resources, node affinity) are quoted from the scheduler.',
    events: { reasons: ['FailedScheduling'] },
  },
  check,
};
