import type { Severity } from '../schema/generated.js';
import type { FindingDraft, Rule } from '../rules/types.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { buildGraph } from './graph.js';

/** A finding as the JSON report states it, plus the facts the diagnosis and the report reason on. */
export interface Finding extends FindingDraft {
  id: string;
  causedBy: string[];
}

export interface CycleBreak {
  /** Ids of the link's cause and effect in the cycle. */
  cause: string;
  effect: string;
  how: string;
}

export interface Cycle {
  members: string[];
  breaks: CycleBreak[];
}

export interface CausalExplanation {
  cause: string;
  effect: string;
  because: string;
}

export interface Diagnosis {
  findings: Finding[];
  rootCauses: string[];
  cycles: Cycle[];
  /** Every cause → effect edge with its reason, for the report's chain. */
  explanations: CausalExplanation[];
  /** Rules that threw: reported as problems rather than crashing the analysis. */
  ruleErrors: { code: string; message: string }[];
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Runs every rule and links the findings into a causal graph. */
export function diagnose(snapshot: Snapshot, rules: Rule[]): Diagnosis {
  const ruleErrors: Diagnosis['ruleErrors'] = [];
  const drafts: FindingDraft[] = [];
  rules.forEach((rule) => {
    try {
      drafts.push(...rule.check(snapshot));
    } catch (error) {
      ruleErrors.push({ code: rule.meta.code, message: error instanceof Error ? error.message : String(error) });
    }
  });
  const ruleOrder = new Map(rules.map((r, i) => [r.meta.code, i]));
  drafts.sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      (ruleOrder.get(a.code) ?? 99) - (ruleOrder.get(b.code) ?? 99) ||
      a.cluster.localeCompare(b.cluster) ||
      (a.subject.namespace ?? '').localeCompare(b.subject.namespace ?? '') ||
      a.subject.name.localeCompare(b.subject.name),
  );

  const graph = buildGraph(drafts);
  const id = (i: number) => `f-${i + 1}`;
  const findings: Finding[] = drafts.map((d, i) => ({
    id: id(i),
    code: d.code,
    severity: d.severity,
    cluster: d.cluster,
    ...(d.targetCluster ? { targetCluster: d.targetCluster } : {}),
    subject: d.subject,
    title: d.title,
    detail: d.detail,
    evidence: d.evidence,
    causedBy: graph.causes[i]!.map(id),
    remediation: d.remediation,
    facts: d.facts,
  }));
  const cycles: Cycle[] = graph.cycles.map((members) => ({
    members: members.map(id),
    breaks: graph.edges
      .filter((e) => e.link.breakWith && members.includes(e.cause) && members.includes(e.effect))
      .map((e) => ({ cause: id(e.cause), effect: id(e.effect), how: e.link.breakWith! })),
  }));
  return {
    findings,
    rootCauses: graph.roots.map(id),
    cycles,
    explanations: graph.edges.map((e) => ({ cause: id(e.cause), effect: id(e.effect), because: e.link.because })),
    ruleErrors,
  };
}
