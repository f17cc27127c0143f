import type { Diagnosis, Finding } from '../diagnosis/diagnose.js';

/**
 * Findings grouped the way an engineer tells the story: one group per failing component
 * (a workload and its pods), one for node taints, one for scheduling, one for the add-ons.
 * Groups are ordered along the causal chain, root causes first.
 */
export interface FindingGroup {
  key: string;
  /** Short label for the chain line: "Cilium not ready". */
  label: string;
  /** Heading: "Cilium (DaemonSet kube-system/cilium)". */
  heading: string;
  /** What is wrong with it: "not ready, crashes". */
  problem: string;
  findings: Finding[];
  /** Keys of groups this one explains / is explained by. */
  effects: string[];
  causes: string[];
  containsRootCause: boolean;
  inCycle: boolean;
}

const ADDON_CODES = new Set(['HRP_FAILED', 'HCP_NOT_READY']);

export function groupKey(finding: Finding): string {
  switch (finding.code) {
    case 'HRP_FAILED':
      return 'addons:hrp';
    case 'HCP_NOT_READY':
      return 'addons:hcp';
    case 'NODE_UNINITIALIZED':
    case 'NODE_NOT_READY':
      return `nodes:${finding.cluster}:${finding.code}`;
    case 'POD_UNSCHEDULABLE':
      return `scheduling:${finding.cluster}`;
    case 'COLLECTION_INCOMPLETE':
      return `bundle:${finding.cluster}`;
    case 'MACHINE_NOT_RUNNING':
    case 'MACHINEDEPLOYMENT_DEGRADED':
    case 'CONTROL_PLANE_NOT_READY':
    case 'CLUSTER_NOT_PROVISIONED':
      return `capi:${finding.targetCluster ?? finding.cluster}`;
  }
  const w = finding.facts.workload;
  if (w) return `workload:${w.cluster}:${w.kind}:${w.namespace ?? ''}:${w.name}`;
  return `subject:${finding.cluster}:${finding.subject.kind}:${finding.subject.namespace ?? ''}:${finding.subject.name}`;
}

function productOf(findings: Finding[]): string | undefined {
  const known = findings.find((f) => f.facts.product)?.facts;
  if (!known?.product) return undefined;
  return known.component === 'cni-operator' ? `${known.product} operator` : known.product;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function describe(key: string, findings: Finding[]): { label: string; heading: string; problem: string } {
  const first = findings[0]!;
  const codes = new Set(findings.map((f) => f.code));
  const fixed = (label: string, heading: string, problem: string) => ({ label, heading, problem });
  if (key === 'addons:hrp') return fixed(`${findings.length} ${findings.length === 1 ? 'HelmReleaseProxy' : 'HelmReleaseProxies'} failed`, 'Failed HelmReleaseProxies', 'failed');
  if (key === 'addons:hcp') return fixed(`${findings.length} ${findings.length === 1 ? 'HelmChartProxy' : 'HelmChartProxies'} not ready`, 'HelmChartProxies not ready', 'not ready');
  if (key.startsWith('nodes:')) {
    return first.code === 'NODE_UNINITIALIZED'
      ? fixed(`${plural(findings.length, 'node')} stay uninitialized (taints)`, `Node taints on ${first.cluster}`, `${plural(findings.length, 'node')} stay uninitialized`)
      : fixed(`${plural(findings.length, 'node')} NotReady`, `Nodes not ready on ${first.cluster}`, `${plural(findings.length, 'node')} NotReady`);
  }
  if (key.startsWith('scheduling:')) return fixed(`${plural(findings.length, 'pod')} cannot be scheduled`, `Pod scheduling failures on ${first.cluster}`, `${plural(findings.length, 'pod')} cannot be scheduled`);
  if (key.startsWith('bundle:')) return fixed('data missing from the bundle', `Missing data for ${first.cluster}`, 'data missing');
  if (key.startsWith('capi:')) {
    const cluster = key.slice('capi:'.length);
    const machines = findings.filter((f) => f.code === 'MACHINE_NOT_RUNNING').length;
    const parts = [
      machines > 0 ? `${plural(machines, 'Machine')} not running` : '',
      codes.has('MACHINEDEPLOYMENT_DEGRADED') ? 'MachineDeployment degraded' : '',
      codes.has('CONTROL_PLANE_NOT_READY') ? 'control plane not ready' : '',
      codes.has('CLUSTER_NOT_PROVISIONED') ? 'Cluster not provisioned' : '',
    ].filter(Boolean);
    return fixed(`${cluster}: ${parts.join(', ')}`, `Cluster API objects of ${cluster}`, parts.join(', '));
  }

  const w = first.facts.workload;
  const product = productOf(findings);
  const name = product ?? w?.name ?? first.subject.name;
  const heading = w ? `${product ? `${product} (` : ''}${w.kind} ${w.namespace ? `${w.namespace}/` : ''}${w.name}${product ? ')' : ''}` : `${first.subject.kind} ${first.subject.namespace ? `${first.subject.namespace}/` : ''}${first.subject.name}`;
  const parts = PROBLEM_PHRASES.filter(([code]) => codes.has(code)).map(([, phrase]) => phrase);
  // Probe failures and unavailability say little next to a crash or a not-ready CNI.
  const problem = (parts.length > 1 ? parts.filter((p) => p !== PHRASE_UNAVAILABLE && (p !== PHRASE_PROBES || !codes.has('POD_CRASHLOOP'))) : parts).join(', ') || 'failing';
  return { label: `${name} ${problem}`, heading, problem };
}

const PHRASE_UNAVAILABLE = 'unavailable';
const PHRASE_PROBES = 'fails its health probes';

/** How each kind of finding reads after the component's name, in the order they are told. */
const PROBLEM_PHRASES: [string, string][] = [
  ['HRP_CHART_SOURCE_FAILED', 'cannot fetch its chart'],
  ['HELM_VALUES_INVALID', 'has invalid values'],
  ['HELM_RELEASE_STUCK', 'has a Helm release stuck in progress'],
  ['CLUSTER_UNREACHABLE', 'workload cluster unreachable from CAAPH'],
  ['CONTROL_PLANE_ENDPOINT_UNREACHABLE', 'control-plane endpoint not served'],
  ['CILIUM_API_ENDPOINT_MISMATCH', 'points at the wrong API server'],
  ['CNI_NOT_READY', 'not ready'],
  ['API_SERVER_UNREACHABLE', 'cannot reach the API'],
  ['IMAGE_PULL_FAILED', 'cannot pull its image'],
  ['CONTAINER_OOMKILLED', 'is OOMKilled'],
  ['INIT_CONTAINER_FAILING', 'init container failing'],
  ['POD_CRASHLOOP', 'crashes'],
  ['CONTAINER_TERMINATED', 'terminated with errors'],
  ['PROBE_FAILING', PHRASE_PROBES],
  ['JOB_FAILED', 'Job failed'],
  ['PVC_PENDING', 'volume claim pending'],
  ['WEBHOOK_FAILING', 'admission webhook failing'],
  ['NODE_PRESSURE', 'node under pressure'],
  ['WORKLOAD_UNAVAILABLE', PHRASE_UNAVAILABLE],
];

/** Groups in causal order: roots first, then breadth-first along the edges; add-ons last. */
export function groupFindings(diagnosis: Diagnosis): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  const keyOfId = new Map<string, string>();
  for (const finding of diagnosis.findings) {
    const key = groupKey(finding);
    keyOfId.set(finding.id, key);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { key, label: '', heading: '', problem: '', findings: [], effects: [], causes: [], containsRootCause: false, inCycle: false }));
    group.findings.push(finding);
  }
  const roots = new Set(diagnosis.rootCauses);
  const cycleMembers = new Set(diagnosis.cycles.flatMap((c) => c.members));
  for (const group of groups.values()) {
    Object.assign(group, describe(group.key, group.findings));
    group.containsRootCause = group.findings.some((f) => roots.has(f.id));
    group.inCycle = group.findings.some((f) => cycleMembers.has(f.id));
  }
  for (const e of diagnosis.explanations) {
    const from = keyOfId.get(e.cause)!;
    const to = keyOfId.get(e.effect)!;
    if (from === to) continue;
    const a = groups.get(from)!;
    const b = groups.get(to)!;
    if (!a.effects.includes(to)) a.effects.push(to);
    if (!b.causes.includes(from)) b.causes.push(from);
  }

  const ordered: FindingGroup[] = [];
  const seen = new Set<string>();
  const queue = diagnosis.rootCauses.map((id) => keyOfId.get(id)!).filter((k, i, all) => all.indexOf(k) === i);
  while (queue.length > 0) {
    const key = queue.shift()!;
    if (seen.has(key)) continue;
    seen.add(key);
    const group = groups.get(key)!;
    ordered.push(group);
    queue.push(...group.effects.filter((k) => !seen.has(k)));
  }
  for (const group of groups.values()) if (!seen.has(group.key)) ordered.push(group);
  // The add-ons are where the story ends, whatever the graph's shape.
  const isAddon = (g: FindingGroup) => g.findings.every((f) => ADDON_CODES.has(f.code));
  return [...ordered.filter((g) => !isAddon(g)), ...ordered.filter(isAddon)];
}
