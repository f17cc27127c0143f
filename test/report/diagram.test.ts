import { describe, expect, it } from 'vitest';
import { mermaid, svg, type ChainGraph } from '../../src/report/diagram.js';

const graph: ChainGraph = {
  nodes: [
    { id: 'g1', label: 'CNI "x" <b>down</b>', root: true, inCycle: true },
    { id: 'g2', label: 'API unreachable', root: false, inCycle: true },
    { id: 'g3', label: '2 HelmReleaseProxies failed', root: false, inCycle: false },
  ],
  edges: [{ from: 'g1', to: 'g2', inCycle: true }, { from: 'g2', to: 'g1', inCycle: true }, { from: 'g2', to: 'g3', inCycle: false }],
};

describe('chain diagrams', () => {
  it('mermaid: quoted labels that bundle text cannot break, cycle edges dotted, roots styled', () => {
    expect(mermaid(graph)).toBe([
      'flowchart TD',
      `  g1["CNI 'x' #60;b#62;down#60;/b#62;"]`,
      '  g2["API unreachable"]',
      '  g3["2 HelmReleaseProxies failed"]',
      '  g1 -.-> g2',
      '  g2 -.-> g1',
      '  g2 --> g3',
      '  classDef root fill:#f4ebff,stroke:#6941c6,stroke-width:2px',
      '  classDef cycle stroke:#b42318,stroke-dasharray:4 3',
      '  class g1 root',
      '  class g2 cycle',
    ].join('\n'));
  });

  it('svg: every node drawn once with escaped text, the back edge of the cycle as a curve', () => {
    const out = svg(graph);
    expect(out.match(/<rect /g)).toHaveLength(3);
    expect(out).toContain('&lt;b&gt;down&lt;/b&gt;');
    expect(out).not.toContain('<b>');
    expect(out.match(/<path d="M[^"]*" fill="none"/g)).toHaveLength(1);
    expect(out).not.toMatch(/<script|href=/);
  });

  it('draws nothing when nothing is linked', () => {
    expect(mermaid({ nodes: [], edges: [] })).toBe('');
    expect(svg({ nodes: [], edges: [] })).toBe('');
  });
});
