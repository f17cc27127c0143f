import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import { buildReportModel } from '../../src/report/model.js';
import { renderHtml, renderMarkdown, renderSummary } from '../../src/report/render.js';
import { RULES } from '../../src/rules/index.js';
import { hrp, pod } from '../fixtures/k8s.js';
import { snapshotOf } from '../fixtures/snapshot.js';

const HOSTILE = '<script>alert(1)</script>|[x](javascript:alert(2))`\u001b[31m';

function hostileReport() {
  const snapshot = snapshotOf(
    {
      name: 'mgmt', role: 'management', objects: [
        hrp('evil-hrp', 'ns', {
          cluster: 'wl', releaseName: 'evil', helmStatus: 'failed',
          conditions: [{ type: 'Ready', status: 'False', reason: 'HelmInstallOrUpgradeFailed', message: `post-install hooks failed: ${HOSTILE}\n\`\`\`\n# not a heading` }],
        }),
      ],
    },
    {
      name: 'wl', role: 'workload', capiCluster: { namespace: 'ns', name: 'wl' }, objects: [
        pod('crasher', 'default', { node: 'n1', containers: [{ name: 'c', ready: false, restartCount: 9, waiting: { reason: 'CrashLoopBackOff', message: HOSTILE } }] }),
      ],
      logs: [{ namespace: 'default', pod: 'crasher', container: 'c', previous: true, lines: [`level=fatal msg="${HOSTILE}"`] }],
    },
  );
  return buildReportModel(snapshot, diagnose(snapshot, RULES), new Date('2026-01-02T03:04:05Z'));
}

describe('rendering hostile bundle text', () => {
  it('HTML escapes every string and carries a CSP that forbids script', () => {
    const html = renderHtml(hostileReport());
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/href="javascript:/);
    expect(html).not.toContain('\u001b');
    expect(html).toContain("default-src 'none'");
  });

  it('Markdown keeps tables, fences and headings intact', () => {
    const md = renderMarkdown(hostileReport());
    // Inside code spans and fences HTML is shown, not run; everywhere else it must be escaped.
    const outsideCode = md.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '').replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, '');
    expect(md).toContain('<script>alert(1)</script>');
    expect(outsideCode).not.toContain('<script>');
    expect(outsideCode).toContain('\\<script\\>');
    expect(md).not.toMatch(/^# not a heading/m);
    expect(outsideCode).not.toMatch(/(?<!\\)\]\(javascript:/);
    // Every row of the failed-HRP table still has exactly the table's 7 pipes.
    const row = md.split('\n').find((l) => l.startsWith('| evil-hrp'))!;
    expect(row.replaceAll('\\|', '').split('|')).toHaveLength(8);
    // Fences are balanced: every opening fence has its closing one.
    const fences = md.split('\n').filter((l) => /^`{3,}/.test(l));
    expect(fences.length % 2).toBe(0);
  });

  it('the terminal summary carries no escape sequences', () => {
    const text = renderSummary(hostileReport(), ['r.md']);
    expect(text).not.toContain('\u001b');
    expect(text).toContain('Report: r.md');
  });
});
