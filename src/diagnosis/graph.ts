import type { FindingDraft } from '../rules/types.js';
import { CAUSAL_LINKS, type CausalLink } from './causes.js';

export interface Edge {
  cause: number;
  effect: number;
  link: CausalLink;
}

export interface CausalGraph {
  /** Direct causes of each finding (indexes into the drafts), after removing shortcuts. */
  causes: number[][];
  edges: Edge[];
  /** Strongly connected groups of two or more findings: deadlocks. */
  cycles: number[][];
  /** Findings nothing outside their own cycle explains, most consequential first. */
  roots: number[];
  /** How many findings each finding explains, directly or not. */
  reach: number[];
}

/** Which findings explain which, from the declared causal links. */
export function buildGraph(drafts: FindingDraft[]): CausalGraph {
  const byCode = new Map<string, number[]>();
  drafts.forEach((d, i) => byCode.set(d.code, [...(byCode.get(d.code) ?? []), i]));

  const direct = new Map<string, Edge>();
  for (const link of CAUSAL_LINKS) {
    for (const causeCode of link.cause) {
      for (const effectCode of link.effect) {
        for (const cause of byCode.get(causeCode) ?? []) {
          for (const effect of byCode.get(effectCode) ?? []) {
            if (cause === effect) continue;
            const key = `${cause}>${effect}`;
            if (direct.has(key)) continue;
            if (link.when.every((m) => m(drafts[cause]!, drafts[effect]!))) direct.set(key, { cause, effect, link });
          }
        }
      }
    }
  }

  // Keep the chain readable: drop A→C when A→B→C already says it.
  const has = (a: number, b: number) => direct.has(`${a}>${b}`);
  const outOf = new Map<number, number[]>();
  for (const e of direct.values()) outOf.set(e.cause, [...(outOf.get(e.cause) ?? []), e.effect]);
  const edges = [...direct.values()].filter(
    (e) => !(outOf.get(e.cause) ?? []).some((b) => b !== e.effect && has(b, e.effect) && !has(e.effect, b) && !has(b, e.cause)),
  );

  const causes: number[][] = drafts.map(() => []);
  const effects: number[][] = drafts.map(() => []);
  for (const e of edges) {
    causes[e.effect]!.push(e.cause);
    effects[e.cause]!.push(e.effect);
  }

  const components = stronglyConnected(drafts.length, effects);
  const cycles = components.filter((c) => c.length > 1).map((c) => [...c].sort((a, b) => a - b));
  const componentOf = new Map<number, number>();
  components.forEach((c, ci) => c.forEach((i) => componentOf.set(i, ci)));

  const reach = drafts.map((_, i) => descendants(i, effects).size);
  const explainedFromOutside = (i: number) => {
    const own = componentOf.get(i);
    const members = components[own!]!;
    // A cycle fed by something outside it is explained by that; a closed loop explains nothing.
    return members.some((m) => causes[m]!.some((c) => componentOf.get(c) !== own));
  };
  const roots = drafts
    .map((_, i) => i)
    .filter((i) => drafts[i]!.severity !== 'info')
    .filter((i) => (causes[i]!.length === 0 ? true : cycles.some((c) => c.includes(i)) && !explainedFromOutside(i)))
    .sort((a, b) => reach[b]! - reach[a]! || severityRank(drafts[a]!) - severityRank(drafts[b]!) || a - b);

  return { causes, edges, cycles, roots, reach };
}

const severityRank = (d: FindingDraft) => (d.severity === 'error' ? 0 : d.severity === 'warning' ? 1 : 2);

function descendants(start: number, effects: number[][]): Set<number> {
  const seen = new Set<number>();
  const stack = [...effects[start]!];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (next === start || seen.has(next)) continue;
    seen.add(next);
    stack.push(...effects[next]!);
  }
  return seen;
}

/** Tarjan's algorithm, iterative so a large graph cannot overflow the stack. */
function stronglyConnected(count: number, effects: number[][]): number[][] {
  const index = new Array<number>(count).fill(-1);
  const low = new Array<number>(count).fill(0);
  const onStack = new Array<boolean>(count).fill(false);
  const stack: number[] = [];
  const result: number[][] = [];
  let counter = 0;
  for (let start = 0; start < count; start++) {
    if (index[start] !== -1) continue;
    const work: [number, number][] = [[start, 0]];
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const [node, edgeIndex] = frame;
      if (edgeIndex === 0 && index[node] === -1) {
        index[node] = low[node] = counter++;
        stack.push(node);
        onStack[node] = true;
      }
      const next = effects[node]![edgeIndex];
      if (next !== undefined) {
        frame[1]++;
        if (index[next] === -1) work.push([next, 0]);
        else if (onStack[next]) low[node] = Math.min(low[node]!, index[next]!);
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent[0]] = Math.min(low[parent[0]]!, low[node]!);
      if (low[node] === index[node]) {
        const component: number[] = [];
        let member: number;
        do {
          member = stack.pop()!;
          onStack[member] = false;
          component.push(member);
        } while (member !== node);
        result.push(component);
      }
    }
  }
  return result;
}
