import type { Problem } from '../bundle/types.js';
import { CAPI_TAINT, CLOUD_PROVIDER_TAINT } from '../diagnosis/causes.js';
import type { Diagnosis, Finding } from '../diagnosis/diagnose.js';
import { helmError } from '../rules/hrp-failed.js';
import { kubeconfigPath, kubeconfigSecret, kubectl, shellQuote } from '../rules/kubectl.js';
import type { Remediation } from '../rules/types.js';
import type { Pod } from '../schema/generated.js';
import type { ClusterView } from '../snapshot/cluster.js';
import { condition } from '../snapshot/conditions.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { chainGraph, mermaid, svg } from './diagram.js';
import { groupFindings, type FindingGroup } from './groups.js';
import { PREVENTION } from './prevention.js';
import type { AppliedSuppression, SuppressionResult } from './suppressions.js';

/**
 * Everything a report says, decided here and tested; the templates only lay it out.
 * Shaped after the hand-written report an expert would attach to a ticket.
 */
export interface ReportModel {
  title: string;
  generatedAt: string;
  date: string;
  /** When the bundles were collected, when they say ('' otherwise). */
  collectedAt: string;
  /** The workload clusters the failures are about (the seed's "Cluster:" line). */
  affectedClusters: string[];
  status: string;
  healthy: boolean;
  counts: { error: number; warning: number; info: number };
  clusters: ClusterSummary[];
  summary: { intro: string; items: { name?: string; text: string }[]; conclusion: string };
  /** Root causes by component, most consequential first, with the findings behind each. */
  rootCauses: { heading: string; problem: string; findings: string[] }[];
  rootCauseSections: RootCauseSection[];
  chain: { steps: string[]; cycles: CycleView[]; mermaid: string; svg: string };
  failedHrps: HrpRow[];
  notReadyHcps: HcpRow[];
  nodeTables: NodeTable[];
  criticalPods: PodRow[];
  workloads: WorkloadRow[];
  /** Commands to run before the fixes, e.g. writing a workload kubeconfig from its CAPI secret. */
  setup: { text: string; command: string }[];
  fixes: FixStep[];
  verification: string[];
  prevention: string[];
  findings: FindingView[];
  problems: Problem[];
  /** Suppressions past their expiry date, which no longer apply. */
  expiredSuppressions: string[];
}

/** What a cluster's snapshot holds, so a reader sees what was (and was not) looked at. */
export interface ClusterSummary {
  name: string;
  role: string;
  input: string;
  linkedBy: string;
  version: string;
  contents: string;
}

export interface RootCauseSection {
  number: number;
  heading: string;
  isRootCause: boolean;
  /** Lines such as ["Status", "2/4 pods in CrashLoopBackOff"]. */
  facts: { label: string; text: string }[];
  evidence: { source: string; text: string }[];
  impact: string[];
}

export interface CycleView {
  steps: string[];
  breakWith: string[];
}

export interface HrpRow { name: string; namespace: string; cluster: string; status: string; reason: string; message: string; hookPhase: string }
export interface HcpRow { name: string; namespace: string; status: string; reason: string; message: string }
export interface NodeTable { cluster: string; summary: string; rows: { name: string; roles: string; ready: string; taints: string }[] }
export interface PodRow { cluster: string; namespace: string; name: string; ready: string; status: string; restarts: number; node: string }
export interface WorkloadRow { cluster: string; kind: string; namespace: string; name: string; ready: string }
export interface FixAction { text: string; commands: string[] }
export interface FixStep { number: number; title: string; intro: string[]; warning: string; actions: FixAction[] }
export interface FindingView {
  id: string; code: string; severity: string; cluster: string; subject: string; title: string; detail: string;
  evidence: { source: string; text: string }[]; causedBy: { id: string; title: string }[]; remediation: Remediation[];
  isRootCause: boolean;
  /** Why the finding is suppressed ('' when it is not). */
  suppressed: string;
}

const count = (n: number, one: string, many: string) => `${n === 1 ? 'One' : numberWord(n)} ${n === 1 ? one : many}`;
function numberWord(n: number): string {
  return ['No', 'One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine', 'Ten'][n] ?? String(n);
}

const NO_SUPPRESSIONS: SuppressionResult = { suppressed: new Map(), expired: [] };

export function buildReportModel(snapshot: Snapshot, diagnosis: Diagnosis, generatedAt: Date, suppression: SuppressionResult = NO_SUPPRESSIONS): ReportModel {
  const byId = new Map(diagnosis.findings.map((f) => [f.id, f]));
  const groups = groupFindings(diagnosis);
  const roots = new Set(diagnosis.rootCauses);
  const hrpFindings = diagnosis.findings.filter((f) => f.code === 'HRP_FAILED');
  const affected = unique(hrpFindings.map((f) => f.targetCluster).filter((c): c is string => !!c));
  const affectedClusters = affected.length > 0 ? affected : unique(diagnosis.findings.filter((f) => f.severity !== 'info').map((f) => f.cluster));
  // Suppressed findings stay listed but no longer count.
  const counted = diagnosis.findings.filter((f) => !suppression.suppressed.has(f.id));
  const counts = {
    error: counted.filter((f) => f.severity === 'error').length,
    warning: counted.filter((f) => f.severity === 'warning').length,
    info: counted.filter((f) => f.severity === 'info').length,
  };
  const problemCount = counts.error + counts.warning;

  return {
    title: 'HCP/HRP Failures Debug Report',
    generatedAt: generatedAt.toISOString(),
    date: generatedAt.toISOString().slice(0, 10),
    collectedAt: unique(snapshot.clusters.map((c) => c.identity.collectedAt).filter((t): t is string => !!t)).sort().join(', '),
    affectedClusters,
    status: problemCount === 0 ? 'No failures detected' : counts.error > 1 ? 'Multiple failures detected' : counts.error === 1 ? 'One failure detected' : 'Warnings only',
    healthy: problemCount === 0,
    counts,
    clusters: snapshot.clusters.map(summarizeCluster),
    summary: buildSummary(hrpFindings, diagnosis, groups),
    rootCauseSections: buildRootCauseSections(groups, roots),
    rootCauses: groups.filter((g) => g.containsRootCause).map((g) => ({
      heading: g.heading, problem: g.problem, findings: g.findings.filter((f) => roots.has(f.id)).map((f) => f.title),
    })),
    chain: buildChain(groups, diagnosis),
    failedHrps: hrpFindings.map((f) => hrpRow(snapshot, f)),
    notReadyHcps: diagnosis.findings.filter((f) => f.code === 'HCP_NOT_READY').map((f) => hcpRow(snapshot, f)),
    nodeTables: buildNodeTables(snapshot, diagnosis),
    criticalPods: buildCriticalPods(snapshot, diagnosis),
    workloads: diagnosis.findings
      .filter((f) => f.facts.desired !== undefined && f.facts.workload)
      .map((f) => ({ cluster: f.cluster, kind: f.facts.workload!.kind, namespace: f.facts.workload!.namespace ?? '', name: f.facts.workload!.name, ready: `${f.facts.ready ?? 0}/${f.facts.desired}` })),
    setup: buildSetup(snapshot),
    fixes: buildFixes(groups, diagnosis),
    verification: buildVerification(snapshot, diagnosis),
    prevention: unique(diagnosis.findings.flatMap((f) => PREVENTION[f.code] ?? [])),
    findings: diagnosis.findings.map((f) => ({
      id: f.id, code: f.code, severity: f.severity, cluster: f.cluster,
      subject: `${f.subject.kind} ${f.subject.namespace ? `${f.subject.namespace}/` : ''}${f.subject.name}`,
      title: f.title, detail: f.detail, evidence: f.evidence,
      causedBy: f.causedBy.map((id) => ({ id, title: byId.get(id)?.title ?? id })),
      remediation: f.remediation, isRootCause: roots.has(f.id), suppressed: suppressionText(suppression.suppressed.get(f.id)),
    })),
    problems: snapshot.problems,
    expiredSuppressions: suppression.expired.map((s) => `${[s.code, s.cluster, s.subject?.kind, s.subject?.namespace, s.subject?.name].filter(Boolean).join(' ')} (expired ${s.expires}): ${s.reason}`),
  };
}

function summarizeCluster(cluster: ClusterView): ClusterSummary {
  const nodes = cluster.list('Node');
  const pods = cluster.list('Pod');
  const readyNodes = nodes.filter((n) => condition(n, 'Ready')?.status === 'True').length;
  const healthyPods = pods.filter((p) => p.status?.phase === 'Succeeded' || (p.status?.phase === 'Running' && (p.status.containerStatuses ?? []).every((s) => s.ready))).length;
  const parts = [
    `${readyNodes}/${nodes.length} nodes Ready`,
    `${healthyPods}/${pods.length} pods running and ready (or completed)`,
    `${cluster.count('Namespace')} namespaces`,
    `${cluster.count('Event')} events`,
  ];
  const hrps = cluster.list('HelmReleaseProxy');
  if (hrps.length > 0 || cluster.role === 'management') {
    parts.push(`${hrps.filter((h) => condition(h, 'Ready')?.status === 'True').length}/${hrps.length} HelmReleaseProxies Ready`);
    parts.push(`${cluster.count('HelmChartProxy')} HelmChartProxies`, `${cluster.count('Cluster')} CAPI Clusters`);
  }
  return {
    name: cluster.name, role: cluster.role, input: cluster.identity.input, linkedBy: cluster.identity.linkedBy,
    version: cluster.identity.serverVersion ?? '', contents: parts.join(', '),
  };
}

function suppressionText(applied: AppliedSuppression | undefined): string {
  return applied ? `${applied.reason}${applied.expires ? ` (until ${applied.expires})` : ''}` : '';
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

function buildSummary(hrpFindings: Finding[], diagnosis: Diagnosis, groups: FindingGroup[]): ReportModel['summary'] {
  if (hrpFindings.length === 0) {
    const serious = diagnosis.findings.filter((f) => f.severity !== 'info');
    return serious.length === 0
      ? { intro: 'No failing HelmReleaseProxies, HelmChartProxies, pods, nodes or workloads were found.', items: [], conclusion: '' }
      : { intro: `No HelmReleaseProxy is failing, but ${serious.length} other problem${serious.length === 1 ? ' was' : 's were'} found:`, items: serious.slice(0, 10).map((f) => ({ text: f.title })), conclusion: '' };
  }
  const targets = unique(hrpFindings.map((f) => f.targetCluster ?? '?'));
  const intro = `${count(hrpFindings.length, 'HelmReleaseProxy (HRP) is', 'HelmReleaseProxies (HRPs) are')} failing on ${targets.join(', ')}:`;
  const items = hrpFindings.map((f) => ({ name: f.subject.name, text: describeHrpFailure(f) }));
  const hooks = hrpFindings.filter((f) => f.facts.hookPhase && f.facts.waitedForResources);
  let conclusion = '';
  if (hooks.length === hrpFindings.length) {
    conclusion = `All ${hrpFindings.length === 1 ? 'of it is' : 'failures are'} due to Helm hook timeouts waiting for resources in the workload cluster to become ready.`;
  } else if (hooks.length > 0) {
    conclusion = `${hooks.length} of them are Helm hook timeouts waiting for resources in the workload cluster to become ready.`;
  }
  const rootGroups = groups.filter((g) => g.containsRootCause).slice(0, 3);
  if (rootGroups.length > 0) {
    const named = rootGroups.map((g) => `${g.heading}: ${g.problem}`);
    conclusion = `${conclusion ? `${conclusion} ` : ''}Root cause${rootGroups.length > 1 ? 's' : ''}: ${named.join('; ')}.`;
  }
  if (diagnosis.cycles.length > 0) conclusion += ' A circular dependency keeps the failure in place (see Causal Chain).';
  return { intro, items, conclusion };
}

function describeHrpFailure(f: Finding): string {
  const helm = /Helm: (.*?)(?: The \S+ hook waited|$)/.exec(f.detail)?.[1];
  return helm ?? f.title.replace(/^HelmReleaseProxy \S+ failed: /, '');
}

function buildRootCauseSections(groups: FindingGroup[], roots: Set<string>): RootCauseSection[] {
  const labelOf = new Map(groups.map((g) => [g.key, g.label]));
  return groups
    .filter((g) => !g.key.startsWith('addons:'))
    .map((group, i) => ({
      number: i + 1,
      heading: group.heading,
      isRootCause: group.containsRootCause,
      facts: group.findings.map((f, i) => ({
        label: roots.has(f.id) ? 'Root cause' : f.severity === 'error' ? 'Error' : f.severity === 'warning' ? 'Warning' : 'Note',
        // The first finding of each kind says why; the others of the same kind only name themselves.
        text: group.findings.findIndex((g) => g.code === f.code) === i ? `${f.title}. ${f.detail}` : `${f.title}.`,
      })),
      evidence: group.findings.flatMap((f) => f.evidence).filter((e, idx, all) => all.findIndex((x) => x.text === e.text) === idx).slice(0, 6),
      impact: group.effects.map((key) => labelOf.get(key)!).filter(Boolean),
    }));
}

const TERMINAL_GROUP = 'addons:hrp';

/**
 * The main chain, told as one line like an engineer would: from the most consequential root
 * cause, each time to the effect that explains the most, straight to the failed add-ons as soon
 * as they are reached.
 */
function mainChain(groups: FindingGroup[]): FindingGroup[] {
  const byKey = new Map(groups.map((g) => [g.key, g]));
  const isEnd = (key: string) => key.startsWith('addons:');
  /** How many groups not told yet a group leads to (the add-ons, where every story ends, do not count). */
  const newGroupsFrom = (start: FindingGroup, told: Set<string>) => {
    const seen = new Set<string>();
    const stack = [start.key];
    while (stack.length > 0) {
      const key = stack.pop()!;
      if (seen.has(key) || told.has(key) || isEnd(key)) continue;
      seen.add(key);
      stack.push(...byKey.get(key)!.effects);
    }
    return seen.size;
  };
  const start = groups.find((g) => g.containsRootCause && g.effects.length > 0);
  if (!start) return [];
  const path = [start];
  const told = new Set([start.key]);
  for (let current = start; ; ) {
    const candidates = current.effects.filter((k) => !told.has(k) && !isEnd(k)).map((k) => byKey.get(k)!);
    const ranked = candidates.map((g) => ({ g, more: newGroupsFrom(g, told) })).sort((a, b) => b.more - a.more);
    // A branch that leads nowhere new is a side effect: go on to the add-ons when they are next.
    const next = ranked[0] && (ranked[0].more > 1 || !current.effects.includes(TERMINAL_GROUP)) ? ranked[0].g : byKey.get(TERMINAL_GROUP);
    if (!next || told.has(next.key) || !current.effects.includes(next.key)) break;
    path.push(next);
    told.add(next.key);
    if (next.key === TERMINAL_GROUP) break;
    current = next;
  }
  return path;
}

/** A cycle as the loop of groups it runs through, starting where the main story enters it. */
function cyclePath(groups: FindingGroup[], memberKeys: Set<string>): FindingGroup[] {
  const byKey = new Map(groups.map((g) => [g.key, g]));
  const first = groups.find((g) => memberKeys.has(g.key));
  if (!first) return [];
  const path = [first];
  for (let current = first; ; ) {
    const next = current.effects.map((k) => byKey.get(k)!).find((g) => memberKeys.has(g.key) && !path.includes(g));
    if (!next) break;
    path.push(next);
    current = next;
  }
  return [...path, first];
}

function buildChain(groups: FindingGroup[], diagnosis: Diagnosis): ReportModel['chain'] {
  const chain = mainChain(groups);
  const steps = chain.map((g) => g.label);
  const last = chain[chain.length - 1];
  if (last?.key === TERMINAL_GROUP) {
    if (last.findings.some((f) => f.facts.hookPhase)) steps.splice(steps.length - 1, 0, 'Helm hooks time out');
    const hcps = groups.find((g) => g.key === 'addons:hcp');
    if (hcps && last.effects.includes(hcps.key)) steps.push(hcps.label);
  }
  const groupOf = new Map<string, FindingGroup>();
  for (const g of groups) for (const f of g.findings) groupOf.set(f.id, g);
  const cycles = diagnosis.cycles.map((cycle) => ({
    steps: cyclePath(groups, new Set(cycle.members.map((id) => groupOf.get(id)!.key))).map((g) => g.label),
    breakWith: unique(cycle.breaks.map((b) => `${b.how} (this cuts the link: ${groupOf.get(b.cause)!.label} → ${groupOf.get(b.effect)!.label})`)),
  }));
  const cycleKeys = new Set(diagnosis.cycles.flatMap((c) => c.members.map((id) => groupOf.get(id)!.key)));
  const graph = chainGraph(groups, cycleKeys);
  return { steps, cycles, mermaid: mermaid(graph), svg: svg(graph) };
}

function hrpRow(snapshot: Snapshot, f: Finding): HrpRow {
  const hrp = snapshot.cluster(f.cluster)?.get('HelmReleaseProxy', f.subject.namespace, f.subject.name);
  const ready = hrp ? condition(hrp, 'Ready') : undefined;
  return {
    name: f.subject.name,
    namespace: f.subject.namespace ?? '',
    cluster: f.targetCluster ?? '',
    status: hrp?.status?.status ?? '',
    reason: ready?.reason ?? '',
    message: hrp ? helmError(hrp) : '',
    hookPhase: f.facts.hookPhase ?? '',
  };
}

function hcpRow(snapshot: Snapshot, f: Finding): HcpRow {
  const hcp = snapshot.cluster(f.cluster)?.get('HelmChartProxy', f.subject.namespace, f.subject.name);
  const ready = hcp ? condition(hcp, 'Ready') : undefined;
  return { name: f.subject.name, namespace: f.subject.namespace ?? '', status: ready?.status ?? 'Unknown', reason: ready?.reason ?? '', message: ready?.message ?? '' };
}

function nodeRoles(labels: Record<string, string> | undefined): string {
  const roles = Object.keys(labels ?? {}).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.slice('node-role.kubernetes.io/'.length));
  return roles.join(',') || 'worker';
}

function buildNodeTables(snapshot: Snapshot, diagnosis: Diagnosis): NodeTable[] {
  // Node tables for the clusters where something runs wrong (pods, nodes, workloads), not for CAPI or add-on findings.
  const involved = unique(diagnosis.findings.filter((f) => f.severity !== 'info' && (f.facts.pod || f.facts.workload || f.subject.kind === 'Node')).map((f) => f.cluster));
  return involved.flatMap((name) => {
    const cluster = snapshot.cluster(name);
    const nodes = cluster?.list('Node') ?? [];
    if (!cluster || nodes.length === 0) return [];
    const rows = nodes.map((n) => ({
      name: n.metadata.name,
      roles: nodeRoles(n.metadata.labels),
      ready: condition(n, 'Ready')?.status === 'True' ? 'Ready' : `NotReady${condition(n, 'Ready')?.reason ? ` (${condition(n, 'Ready')!.reason})` : ''}`,
      taints: (n.spec?.taints ?? []).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ') || '(none)',
    }));
    const ready = rows.filter((r) => r.ready === 'Ready').length;
    const uninitialized = nodes.filter((n) => (n.spec?.taints ?? []).some((t) => t.key === CLOUD_PROVIDER_TAINT || t.key === CAPI_TAINT)).length;
    const summary = `${ready === rows.length ? `All ${rows.length}` : `${ready} of ${rows.length}`} nodes are Ready${uninitialized > 0 ? `; ${uninitialized === rows.length ? 'all' : uninitialized} carry uninitialized taints that keep pods off them` : ''}.`;
    return [{ cluster: name, summary, rows }];
  });
}

function podReady(pod: Pod): string {
  const statuses = pod.status?.containerStatuses ?? [];
  const total = pod.spec.containers.length;
  return `${statuses.filter((s) => s.ready).length}/${total}`;
}

function podStatus(pod: Pod): string {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const waiting = statuses.find((s) => s.state?.waiting?.reason && s.state.waiting.reason !== 'PodInitializing')?.state?.waiting?.reason;
  if (waiting) return waiting;
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (pod.status?.phase === 'Pending' && scheduled?.status === 'False') return `Pending (${scheduled.reason ?? 'unscheduled'})`;
  if (pod.status?.phase === 'Running' && statuses.some((s) => !s.ready)) return 'Running, not ready';
  return pod.status?.phase ?? 'Unknown';
}

function buildCriticalPods(snapshot: Snapshot, diagnosis: Diagnosis): PodRow[] {
  const seen = new Set<string>();
  const rows: PodRow[] = [];
  for (const f of diagnosis.findings) {
    const ref = f.facts.pod ?? (f.subject.kind === 'Pod' ? { cluster: f.cluster, namespace: f.subject.namespace, name: f.subject.name } : undefined);
    if (!ref) continue;
    const key = `${ref.cluster}/${ref.namespace}/${ref.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const pod = snapshot.cluster(ref.cluster)?.get('Pod', ref.namespace, ref.name);
    if (!pod) continue;
    rows.push({
      cluster: ref.cluster, namespace: ref.namespace ?? '', name: ref.name, ready: podReady(pod), status: podStatus(pod),
      restarts: (pod.status?.containerStatuses ?? []).reduce((sum, s) => sum + (s.restartCount ?? 0), 0), node: pod.spec.nodeName ?? '',
    });
  }
  return rows;
}

const MAX_ACTIONS_PER_STEP = 6;

/** Workload kubeconfigs the collector read from CAPI secrets: say how to get them as files. */
function buildSetup(snapshot: Snapshot): ReportModel['setup'] {
  return snapshot.workloadClusters().flatMap((cluster) => {
    const secret = kubeconfigSecret(cluster);
    const management = snapshot.managementClusters()[0];
    if (!secret || !management) return [];
    const read = kubectl(management, 'get', 'secret', secret.name, '-n', secret.namespace, '-o', 'jsonpath={.data.value}');
    return [{ text: `Write the kubeconfig of ${cluster.name} from its CAPI secret (the commands below use it)`, command: `${read} | base64 -d > ${shellQuote(kubeconfigPath(cluster)!)}` }];
  });
}

/** Commands that only look: worth listing for a root cause, noise for a consequence. */
const DIAGNOSTIC_COMMAND = /^kubectl (describe|get|logs|wait|top)\b/;

/** Remediations with the same advice become one action with several command lines. */
function mergeByText(items: Remediation[]): FixAction[] {
  const actions: FixAction[] = [];
  for (const r of items) {
    const existing = actions.find((a) => a.text === r.text);
    if (existing) {
      if (r.command) existing.commands.push(r.command);
    } else {
      actions.push({ text: r.text, commands: r.command ? [r.command] : [] });
    }
  }
  return actions;
}

function buildFixes(groups: FindingGroup[], diagnosis: Diagnosis): FixStep[] {
  const steps: Omit<FixStep, 'number'>[] = [];
  const labelOf = new Map(groups.map((g) => [g.key, g.label]));
  const seen = new Set<string>();
  const fresh = (items: Remediation[]) => items.filter((r) => {
    const key = r.command ?? r.text;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const breaks = diagnosis.cycles.flatMap((c) => c.breaks);
  const groupOfFinding = (id: string) => groups.find((g) => g.findings.some((f) => f.id === id));
  const breakPoints = new Set(breaks.map((b) => groupOfFinding(b.cause)?.key));

  for (const group of groups) {
    if (group.key.startsWith('addons:') || group.key.startsWith('bundle:')) continue;
    const isBreakPoint = breakPoints.has(group.key);
    const remediations = fresh(group.findings.flatMap((f) => f.remediation).filter((r) => isBreakPoint || !r.workaround));
    const acts = remediations.some((r) => r.command && !DIAGNOSTIC_COMMAND.test(r.command));
    // Root causes get every command; consequences only when there is something to do besides looking.
    if (remediations.length === 0 || (!group.containsRootCause && !isBreakPoint && !acts)) continue;
    const intro: string[] = [];
    const upstream = group.causes.map((k) => labelOf.get(k)).filter(Boolean);
    if (upstream.length > 0 && !isBreakPoint && !group.containsRootCause) {
      intro.push(`This is a consequence of: ${upstream.join('; ')}. It should recover once that is fixed; if it does not:`);
    }
    const how = unique(breaks.filter((b) => group.findings.some((f) => f.id === b.cause)).map((b) => b.how));
    steps.push({
      title: isBreakPoint ? `Break the circular dependency (workaround): ${group.heading}` : `Fix ${group.heading}`,
      intro,
      warning: isBreakPoint ? `${how.join(' ')} Only do this if the steps above do not resolve it: it is a workaround, not a fix.` : '',
      actions: mergeByText(remediations).slice(0, MAX_ACTIONS_PER_STEP),
    });
  }
  const hrps = diagnosis.findings.filter((f) => f.code === 'HRP_FAILED');
  if (hrps.length > 0) {
    const remediations = fresh(hrps.flatMap((f) => f.remediation));
    steps.push({
      title: 'Retry the failed HelmReleaseProxies',
      intro: ['Once the underlying issues are fixed, retry the failed HelmReleaseProxies.'],
      warning: '',
      actions: mergeByText(remediations),
    });
  }
  return steps.map((s, i) => ({ ...s, number: i + 1 }));
}

function buildVerification(snapshot: Snapshot, diagnosis: Diagnosis): string[] {
  const commands: string[] = [];
  const serious = diagnosis.findings.filter((f) => f.severity !== 'info');
  const hrpNamespaces = new Map<string, Set<string>>();
  for (const f of serious.filter((f) => f.code === 'HRP_FAILED' || f.code === 'HCP_NOT_READY')) {
    const set = hrpNamespaces.get(f.cluster) ?? new Set<string>();
    set.add(f.subject.namespace ?? 'default');
    hrpNamespaces.set(f.cluster, set);
  }
  for (const [name, namespaces] of hrpNamespaces) {
    const cluster = snapshot.cluster(name);
    if (!cluster) continue;
    for (const namespace of namespaces) {
      commands.push(kubectl(cluster, 'get', 'helmreleaseproxies', '-n', namespace));
      commands.push(kubectl(cluster, 'get', 'helmchartproxies', '-n', namespace));
    }
  }
  const workloadClusters = new Map<string, Set<string>>();
  for (const f of serious) {
    const ref = f.facts.pod ?? f.facts.workload;
    if (!ref?.namespace) continue;
    const set = workloadClusters.get(ref.cluster) ?? new Set<string>();
    set.add(ref.namespace);
    workloadClusters.set(ref.cluster, set);
  }
  for (const [name, namespaces] of workloadClusters) {
    const cluster = snapshot.cluster(name) as ClusterView | undefined;
    if (!cluster) continue;
    for (const namespace of [...namespaces].sort()) commands.push(kubectl(cluster, 'get', 'pods', '-n', namespace, '-o', 'wide'));
  }
  for (const name of unique(serious.filter((f) => f.code.startsWith('NODE_')).map((f) => f.cluster))) {
    const cluster = snapshot.cluster(name);
    if (cluster) commands.push(kubectl(cluster, 'get', 'nodes', '-o', 'custom-columns=NAME:.metadata.name,READY:.status.conditions[?(@.type=="Ready")].status,TAINTS:.spec.taints[*].key'));
  }
  return commands;
}
