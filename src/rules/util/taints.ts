import type { Node, Pod, Toleration } from '../../schema/generated.js';

export interface NodeTaint {
  key: string;
  value?: string;
  effect: string;
}

/** Taint effects that keep a pod off a node (PreferNoSchedule only discourages). */
export const BLOCKING_EFFECTS = new Set(['NoSchedule', 'NoExecute']);

/** Kubernetes' Toleration.ToleratesTaint: effect (empty = all), key (empty = all), then Exists or Equal on the value. */
export function toleratesTaint(toleration: Toleration, taint: NodeTaint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? '') {
    case 'Exists':
      return true;
    case '':
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
}

export function tolerated(tolerations: readonly Toleration[], taint: NodeTaint): boolean {
  return tolerations.some((t) => toleratesTaint(t, taint));
}

/** `key=value:Effect`, or `key:Effect` without a value, as kubectl prints taints. */
export function formatTaint(taint: NodeTaint): string {
  return `${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}`;
}

export function nodeTaints(node: Node): NodeTaint[] {
  return (node.spec?.taints ?? []).map((t) => ({ key: t.key, ...(t.value !== undefined ? { value: t.value } : {}), effect: t.effect }));
}

/** The NoSchedule/NoExecute taints of a node that the pod does not tolerate. */
export function untoleratedTaints(pod: Pod, node: Node): NodeTaint[] {
  const tolerations = pod.spec.tolerations ?? [];
  return nodeTaints(node).filter((taint) => BLOCKING_EFFECTS.has(taint.effect) && !tolerated(tolerations, taint));
}

interface NodeSelectorRequirement { key?: string; operator?: string; values?: string[] }
interface NodeSelectorTerm { matchExpressions?: NodeSelectorRequirement[]; matchFields?: NodeSelectorRequirement[] }

function requirementHolds(req: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In': return value !== undefined && values.includes(value);
    case 'NotIn': return value === undefined || !values.includes(value);
    case 'Exists': return value !== undefined;
    case 'DoesNotExist': return value === undefined;
    case 'Gt': return value !== undefined && values[0] !== undefined && Number(value) > Number(values[0]);
    case 'Lt': return value !== undefined && values[0] !== undefined && Number(value) < Number(values[0]);
    default: return false;
  }
}

function termMatches(term: NodeSelectorTerm, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  const fields: Record<string, string> = { 'metadata.name': node.metadata.name };
  return (term.matchExpressions ?? []).every((req) => requirementHolds(req, req.key === undefined ? undefined : labels[req.key])) &&
    (term.matchFields ?? []).every((req) => requirementHolds(req, req.key === undefined ? undefined : fields[req.key]));
}

/**
 * Whether the node satisfies the pod's nodeSelector and required node affinity (a DaemonSet pod's
 * affinity names its one node): nodes the pod could never land on are left out of taint counts.
 */
export function matchesNodeSelector(pod: Pod, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  if (!Object.entries(pod.spec.nodeSelector ?? {}).every(([k, v]) => labels[k] === v)) return false;
  const affinity = pod.spec.affinity as { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] } } } | undefined;
  const terms = affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  // Terms are ORed; an empty list matches nothing in Kubernetes, but a malformed dump should not hide every taint.
  return !terms || terms.length === 0 || terms.some((term) => termMatches(term, node));
}

export interface BlockingTaint {
  taint: NodeTaint;
  /** Names of the nodes it keeps the pod off. */
  nodes: string[];
}

/** For every node the pod could select: the taints it does not tolerate, grouped by taint, most nodes first. */
export function blockingTaints(pod: Pod, nodes: readonly Node[]): BlockingTaint[] {
  const byTaint = new Map<string, BlockingTaint>();
  for (const node of nodes) {
    if (!matchesNodeSelector(pod, node)) continue;
    for (const taint of untoleratedTaints(pod, node)) {
      const id = formatTaint(taint);
      const entry = byTaint.get(id);
      if (entry) entry.nodes.push(node.metadata.name);
      else byTaint.set(id, { taint, nodes: [node.metadata.name] });
    }
  }
  return [...byTaint.values()].sort((a, b) => b.nodes.length - a.nodes.length || a.taint.key.localeCompare(b.taint.key));
}
