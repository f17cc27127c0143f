import { condition, oneLine } from '../snapshot/conditions.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { kubectl } from './kubectl.js';
import type { FindingDraft, Rule } from './types.js';

function check(snapshot: Snapshot): FindingDraft[] {
  return snapshot.clusters.flatMap((cluster) =>
    cluster.list('HelmChartProxy').flatMap((hcp): FindingDraft[] => {
      const ready = condition(hcp, 'Ready');
      if (ready?.status === 'True') return [];
      const namespace = hcp.metadata.namespace;
      const message = oneLine(ready?.message ?? '');
      const matching = hcp.status?.matchingClusters?.length;
      const others = (hcp.status?.conditions ?? [])
        .filter((c) => c.type !== 'Ready' && c.status !== 'True')
        .map((c) => `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}`);
      return [{
        code: rule.meta.code,
        severity: rule.meta.severity,
        cluster: cluster.name,
        subject: { kind: 'HelmChartProxy', namespace, name: hcp.metadata.name },
        title: `HelmChartProxy ${hcp.metadata.name} is not ready${ready?.reason ? `: ${ready.reason}` : ''}`,
        detail: [
          ready ? `Ready=${ready.status}${ready.reason ? `, reason ${ready.reason}` : ''}${message ? `: ${message}` : ''}.` : 'It has no Ready condition yet.',
          others.length > 0 ? `Other conditions: ${others.join(', ')}.` : '',
          matching !== undefined ? `It matches ${matching} cluster${matching === 1 ? '' : 's'}.` : '',
        ].filter(Boolean).join(' '),
        evidence: [{ source: snapshot.sourceOf(hcp), text: `Ready=${ready?.status ?? '(none)'}${ready?.reason ? ` ${ready.reason}` : ''}${message ? `: ${message}` : ''}` }],
        remediation: [{
          text: 'Watch the HelmChartProxy become Ready once its HelmReleaseProxies succeed',
          command: kubectl(cluster, 'get', 'helmchartproxy', hcp.metadata.name, '-n', namespace ?? 'default', '-o', 'wide'),
        }],
        facts: { helmChartProxy: { cluster: cluster.name, kind: 'HelmChartProxy', namespace, name: hcp.metadata.name } },
      }];
    }),
  );
}

export const rule: Rule = {
  meta: {
    code: 'HCP_NOT_READY',
    severity: 'error',
    title: 'HelmChartProxy not ready',
    docs: 'A HelmChartProxy whose Ready condition is not True. It is usually the echo of failing HelmReleaseProxies, which the diagnosis links as its cause.',
  },
  check,
};
