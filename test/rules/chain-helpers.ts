/**
 * Diagnosing a fixture snapshot with every rule, and reading a finding's place in the causal chain:
 * what explains it (causedBy, by code and subject) and whether it is a root cause.
 */
import { diagnose, type Finding } from '../../src/diagnosis/diagnose.js';
import { RULES } from '../../src/rules/index.js';
import type { Snapshot } from '../../src/snapshot/snapshot.js';
import { snapshotOf, type FixtureCluster } from '../fixtures/snapshot.js';

export const MGMT = 'mgmt-a';
export const MGMT_KUBECONFIG = '/home/op/mgmt.conf';
export const WL = 'wl-7';
export const WL_KUBECONFIG = '/home/op/wl-7.kubeconfig';
export const NS = 'fleet';

export function mgmtCluster(objects: object[], logs: FixtureCluster['logs'] = []): FixtureCluster {
  return { name: MGMT, role: 'management', kubeconfig: MGMT_KUBECONFIG, objects, logs };
}

export function wlCluster(objects: object[], logs: FixtureCluster['logs'] = []): FixtureCluster {
  return { name: WL, role: 'workload', kubeconfig: WL_KUBECONFIG, capiCluster: { namespace: NS, name: WL }, objects, logs };
}

export interface Diagnosed {
  findings: Finding[];
  rootCauses: Finding[];
  cycles: Finding[][];
  /** The one finding of that code (and subject name), failing loudly otherwise. */
  one(code: string, name?: string | RegExp): Finding;
  all(code: string): Finding[];
  /** `CODE subject-name` of each direct cause. */
  causes(f: Finding): string[];
  isRoot(f: Finding): boolean;
}

export function diagnosed(snapshot: Snapshot): Diagnosed {
  const d = diagnose(snapshot, RULES);
  if (d.ruleErrors.length > 0) throw new Error(`rules threw: ${JSON.stringify(d.ruleErrors)}`);
  const byId = new Map(d.findings.map((f) => [f.id, f]));
  const matches = (f: Finding, name?: string | RegExp) => name === undefined || (typeof name === 'string' ? f.subject.name === name : name.test(f.subject.name));
  return {
    findings: d.findings,
    rootCauses: d.rootCauses.map((id) => byId.get(id)!),
    cycles: d.cycles.map((c) => c.members.map((id) => byId.get(id)!)),
    one(code, name) {
      const found = d.findings.filter((f) => f.code === code && matches(f, name));
      if (found.length !== 1) throw new Error(`expected one ${code}${name ? ` ${name}` : ''}, got ${found.length}: ${d.findings.map((f) => `${f.code} ${f.subject.name}`).join(' | ')}`);
      return found[0]!;
    },
    all: (code) => d.findings.filter((f) => f.code === code),
    causes: (f) => f.causedBy.map((id) => byId.get(id)!).map((c) => `${c.code} ${c.subject.name}`).sort(),
    isRoot: (f) => d.rootCauses.includes(f.id),
  };
}

export function diagnoseClusters(...clusters: FixtureCluster[]): Diagnosed {
  return diagnosed(snapshotOf(...clusters));
}
