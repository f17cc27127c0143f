import type { FindingGroup } from './groups.js';

/** The causal chain between groups of findings, as a graph the report draws. */
export interface ChainGraph {
  nodes: { id: string; label: string; root: boolean; inCycle: boolean }[];
  edges: { from: string; to: string; inCycle: boolean }[];
}

export function chainGraph(groups: FindingGroup[], cycleKeys: Set<string>): ChainGraph {
  const linked = groups.filter((g) => g.effects.length > 0 || g.causes.length > 0);
  const ids = new Map(linked.map((g, i) => [g.key, `g${i + 1}`]));
  return {
    nodes: linked.map((g) => ({ id: ids.get(g.key)!, label: g.label, root: g.containsRootCause, inCycle: cycleKeys.has(g.key) })),
    edges: linked.flatMap((g) => g.effects.filter((k) => ids.has(k)).map((k) => ({
      from: ids.get(g.key)!, to: ids.get(k)!, inCycle: cycleKeys.has(g.key) && cycleKeys.has(k),
    }))),
  };
}

/** Mermaid flowchart source (GitHub and GitLab render it); labels cannot break out of their quotes. */
export function mermaid(graph: ChainGraph): string {
  if (graph.nodes.length === 0) return '';
  // Quotes end a label, <> would be HTML, and %% starts a Mermaid directive or comment: entity codes keep them text.
  const label = (text: string) =>
    text.replace(/["`]/g, "'").replace(/[<>%#]/g, (c) => `#${c.charCodeAt(0)};`).replace(/[\r\n]+/g, ' ');
  const lines = ['flowchart TD'];
  for (const n of graph.nodes) lines.push(`  ${n.id}["${label(n.label)}"]`);
  for (const e of graph.edges) lines.push(`  ${e.from} ${e.inCycle ? '-.->' : '-->'} ${e.to}`);
  lines.push('  classDef root fill:#f4ebff,stroke:#6941c6,stroke-width:2px');
  lines.push('  classDef cycle stroke:#b42318,stroke-dasharray:4 3');
  const roots = graph.nodes.filter((n) => n.root).map((n) => n.id);
  const cyclic = graph.nodes.filter((n) => n.inCycle && !n.root).map((n) => n.id);
  if (roots.length > 0) lines.push(`  class ${roots.join(',')} root`);
  if (cyclic.length > 0) lines.push(`  class ${cyclic.join(',')} cycle`);
  return lines.join('\n');
}

const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && (line + ' ' + word).length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.flatMap((l) => (l.length > width ? l.match(new RegExp(`.{1,${width}}`, 'g')) ?? [l] : [l]));
}

/**
 * The graph as inline SVG laid out here (no script, no external font): layers by longest path
 * from the root causes, back edges of a cycle drawn as dashed curves on the side.
 */
export function svg(graph: ChainGraph): string {
  if (graph.nodes.length === 0) return '';
  const out = new Map(graph.nodes.map((n) => [n.id, [] as string[]]));
  for (const e of graph.edges) out.get(e.from)!.push(e.to);
  // Depth-first from the roots finds the back edges that close cycles; the rest is a DAG.
  const order = new Map<string, number>();
  const onPath = new Set<string>();
  const back = new Set<string>();
  const visit = (id: string) => {
    if (order.has(id)) return;
    order.set(id, order.size);
    onPath.add(id);
    for (const next of out.get(id)!) {
      if (onPath.has(next)) back.add(`${id}>${next}`);
      else visit(next);
    }
    onPath.delete(id);
  };
  for (const n of graph.nodes.filter((n) => n.root)) visit(n.id);
  for (const n of graph.nodes) visit(n.id);
  const forward = graph.edges.filter((e) => !back.has(`${e.from}>${e.to}`));
  const layer = new Map(graph.nodes.map((n) => [n.id, 0]));
  for (let pass = 0; pass < graph.nodes.length; pass++) {
    for (const e of forward) layer.set(e.to, Math.max(layer.get(e.to)!, layer.get(e.from)! + 1));
  }

  const BOX_W = 230, LINE_H = 16, PAD = 10, GAP_X = 40, GAP_Y = 46, MARGIN = 20, WRAP = 30;
  const rows = new Map<number, string[]>();
  for (const n of graph.nodes) rows.set(layer.get(n.id)!, [...(rows.get(layer.get(n.id)!) ?? []), n.id]);
  const linesOf = new Map(graph.nodes.map((n) => [n.id, wrap(n.label, WRAP)]));
  const boxH = (id: string) => linesOf.get(id)!.length * LINE_H + PAD * 2;
  const widest = Math.max(...[...rows.values()].map((r) => r.length));
  const width = MARGIN * 2 + widest * BOX_W + (widest - 1) * GAP_X + 120;
  const pos = new Map<string, { x: number; y: number; h: number }>();
  let y = MARGIN;
  for (const index of [...rows.keys()].sort((a, b) => a - b)) {
    const row = rows.get(index)!;
    const rowWidth = row.length * BOX_W + (row.length - 1) * GAP_X;
    let x = (width - rowWidth) / 2;
    const rowH = Math.max(...row.map(boxH));
    for (const id of row) {
      pos.set(id, { x, y, h: boxH(id) });
      x += BOX_W + GAP_X;
    }
    y += rowH + GAP_Y;
  }
  const height = y - GAP_Y + MARGIN;

  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" class="chain-graph" role="img" aria-label="Causal chain" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`);
  parts.push('<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#475467"/></marker>'
    + '<marker id="arrow-cycle" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#b42318"/></marker></defs>');
  for (const e of graph.edges) {
    const a = pos.get(e.from)!;
    const b = pos.get(e.to)!;
    const isBack = back.has(`${e.from}>${e.to}`);
    const stroke = e.inCycle ? '#b42318' : '#475467';
    const marker = e.inCycle ? 'url(#arrow-cycle)' : 'url(#arrow)';
    const dash = e.inCycle ? ' stroke-dasharray="5 4"' : '';
    if (isBack) {
      // Around the right side, from the effect's side back up to the cause.
      const x1 = a.x + BOX_W, y1 = a.y + a.h / 2, x2 = b.x + BOX_W, y2 = b.y + b.h / 2;
      const bulge = Math.max(x1, x2) + 50;
      parts.push(`<path d="M${x1},${y1} C${bulge},${y1} ${bulge},${y2} ${x2 + 2},${y2}" fill="none" stroke="${stroke}" stroke-width="1.5"${dash} marker-end="${marker}"/>`);
    } else if (layer.get(e.to)! - layer.get(e.from)! > 1) {
      // A link that skips layers goes around the left side so it does not hide behind the chain.
      const x1 = a.x, y1 = a.y + a.h / 2, x2 = b.x - 2, y2 = b.y + b.h / 2;
      const bulge = Math.min(x1, x2) - 50;
      parts.push(`<path d="M${x1},${y1} C${bulge},${y1} ${bulge},${y2} ${x2},${y2}" fill="none" stroke="${stroke}" stroke-width="1.5"${dash} marker-end="${marker}"/>`);
    } else {
      const x1 = a.x + BOX_W / 2, y1 = a.y + a.h, x2 = b.x + BOX_W / 2, y2 = b.y - 2;
      parts.push(`<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="${stroke}" stroke-width="1.5"${dash} marker-end="${marker}"/>`);
    }
  }
  for (const n of graph.nodes) {
    const p = pos.get(n.id)!;
    const fill = n.root ? '#f4ebff' : n.inCycle ? '#fef3f2' : '#f9fafb';
    const stroke = n.root ? '#6941c6' : n.inCycle ? '#b42318' : '#98a2b3';
    parts.push(`<g class="node${n.root ? ' root' : ''}${n.inCycle ? ' cycle' : ''}"><rect x="${p.x}" y="${p.y}" width="${BOX_W}" height="${p.h}" rx="8" fill="${fill}" stroke="${stroke}" stroke-width="${n.root ? 2 : 1.2}"/>`);
    linesOf.get(n.id)!.forEach((line, i) => {
      parts.push(`<text x="${p.x + BOX_W / 2}" y="${p.y + PAD + LINE_H * (i + 0.75)}" text-anchor="middle" font-family="sans-serif" font-size="12" fill="#101828">${escapeXml(line)}</text>`);
    });
    parts.push('</g>');
  }
  parts.push('</svg>');
  return parts.join('');
}
