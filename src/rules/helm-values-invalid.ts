import type { HelmChartProxy, HelmReleaseProxy } from '../schema/generated.js';
import type { ClusterView } from '../snapshot/cluster.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { chartProxyOf } from './hrp-failed.js';
import { kubectl } from './kubectl.js';
import type { Evidence, FindingDraft, Remediation, Rule } from './types.js';
import { capiClusterRef, collected, hrpClusterRef, managedReleaseOf, targetNameOf } from './util/capi.js';
import { hcpValuesFailure, hrpFailure, templateErrorParts, type HelmFailure } from './util/helm-errors.js';

const YAML_ERROR = /error converting YAML to JSON|YAML parse error|yaml: /i;
const SCHEMA_ERROR = /values don't meet the specifications of the schema/i;

/** What the message says went wrong, in a sentence. */
function explain(message: string): string {
  const parts = templateErrorParts(message);
  if (parts.missingKey) {
    return `The template reads ${parts.expression ? `<${parts.expression}>` : `the key "${parts.missingKey}"`}, but there is no key "${parts.missingKey}" there for this cluster: the field is not set on every selected Cluster.`;
  }
  if (/nil pointer evaluating/.test(message)) {
    return `The template reads ${parts.expression ? `<${parts.expression}>` : 'a field'} through a field that is not set (nil) for this cluster.`;
  }
  if (SCHEMA_ERROR.test(message)) return 'The values do not match the chart\'s values.schema.json.';
  if (YAML_ERROR.test(message)) return 'The values (after templating) are not valid YAML: usually indentation, a tab, or an unquoted string with a colon.';
  if (/execution error at \(/.test(message)) return 'The chart refused the values (a `required` or `fail` in its templates).';
  if (/template: /.test(message)) return `The Go template does not parse or execute${parts.expression ? ` (stops at <${parts.expression}>)` : ''}.`;
  return 'The values could not be parsed.';
}

/** When a template reads .ControlPlane: is the KubeadmControlPlane that CAAPH looks up there? */
function controlPlaneNote(cluster: ClusterView, namespace: string | undefined, clusterName: string | undefined, message: string): string | undefined {
  if (!/\.ControlPlane\b/.test(message) || !clusterName) return undefined;
  const capi = cluster.get('Cluster', namespace, clusterName);
  const ref = capi?.spec?.controlPlaneRef;
  if (!capi || !ref?.name) return undefined;
  if (ref.kind && ref.kind !== 'KubeadmControlPlane') {
    return `The template reads .ControlPlane, but CAAPH only looks up KubeadmControlPlanes and Cluster ${clusterName}'s control plane is a ${ref.kind}: .ControlPlane is empty for it.`;
  }
  if (!collected(cluster, 'KubeadmControlPlane', 'kubeadmcontrolplanes')) return undefined;
  if (cluster.get('KubeadmControlPlane', ref.namespace ?? namespace, ref.name)) return undefined;
  return `The template reads .ControlPlane, but KubeadmControlPlane ${ref.namespace ?? namespace}/${ref.name} (spec.controlPlaneRef of Cluster ${clusterName}) is not in the management cluster: CAAPH renders the template against an empty KubeadmControlPlane.`;
}

function remediation(cluster: ClusterView, kind: 'helmchartproxy' | 'helmreleaseproxy', name: string, namespace: string, message: string, hcpName: string | undefined): Remediation[] {
  const field = kind === 'helmchartproxy' ? 'valuesTemplate' : 'values';
  const out: Remediation[] = [{ text: `Show the ${field}`, command: kubectl(cluster, 'get', kind, name, '-n', namespace, '-o', `jsonpath={.spec.${field}}`) }];
  if (/map has no entry|nil pointer/.test(message)) {
    out.push({ text: 'Make the template read only fields every selected Cluster has, or guard optional ones (`{{ with ... }}`, `{{ if ... }}`, `| default`; `index .Cluster.metadata.labels "key"` for keys with dots), then edit the HelmChartProxy', ...(hcpName ? { command: kubectl(cluster, 'edit', 'helmchartproxy', hcpName, '-n', namespace) } : {}) });
  } else {
    out.push({ text: `Fix the ${kind === 'helmchartproxy' ? 'valuesTemplate' : 'HelmChartProxy valuesTemplate this HRP was rendered from'} (YAML indentation, quoting, the chart's values schema) and apply it again` });
  }
  return out;
}

function hcpFinding(snapshot: Snapshot, cluster: ClusterView, hcp: HelmChartProxy, failure: HelmFailure): FindingDraft {
  const namespace = hcp.metadata.namespace ?? 'default';
  const parts = templateErrorParts(failure.message);
  const note = controlPlaneNote(cluster, hcp.metadata.namespace, parts.cluster, failure.message);
  const target = parts.cluster ? snapshot.workloadFor(hcp.metadata.namespace, parts.cluster)?.name ?? parts.cluster : undefined;
  const c = failure.condition;
  return {
    code: rule.meta.code,
    severity: rule.meta.severity,
    cluster: cluster.name,
    ...(target ? { targetCluster: target } : {}),
    subject: { kind: 'HelmChartProxy', namespace, name: hcp.metadata.name },
    title: `HelmChartProxy ${hcp.metadata.name}: values cannot be rendered${parts.cluster ? ` for cluster ${parts.cluster}` : ''}`,
    detail: [
      `CAAPH could not render the valuesTemplate${parts.cluster ? ` for cluster ${parts.cluster}` : ''} (${c.type}=${c.status}${c.reason ? `, ${c.reason}` : ''}), so it does not create or update the HelmReleaseProxy there.`,
      explain(failure.message),
      note ?? '',
      `CAAPH: ${failure.message}`,
    ].filter(Boolean).join(' '),
    evidence: [{ source: snapshot.sourceOf(hcp), text: `${c.type}=${c.status}${c.reason ? ` ${c.reason}` : ''}: ${failure.message}` }],
    remediation: remediation(cluster, 'helmchartproxy', hcp.metadata.name, namespace, failure.message, hcp.metadata.name),
    facts: {
      helmChartProxy: { cluster: cluster.name, kind: 'HelmChartProxy', namespace: hcp.metadata.namespace, name: hcp.metadata.name },
      ...(parts.cluster ? { capiCluster: capiClusterRef(cluster, hcp.metadata.namespace, parts.cluster) } : {}),
    },
  };
}

function hrpFinding(snapshot: Snapshot, cluster: ClusterView, hrp: HelmReleaseProxy, failure: HelmFailure): FindingDraft {
  const namespace = hrp.metadata.namespace ?? 'default';
  const target = targetNameOf(snapshot, hrp);
  const managedRelease = managedReleaseOf(snapshot, hrp);
  const ref = hrpClusterRef(hrp);
  const note = controlPlaneNote(cluster, ref?.namespace, ref?.name, failure.message);
  const c = failure.condition;
  const evidence: Evidence[] = [{ source: snapshot.sourceOf(hrp), text: `${c.type}=${c.status}${c.reason ? ` ${c.reason}` : ''}: ${failure.message}` }];
  return {
    code: rule.meta.code,
    severity: rule.meta.severity,
    cluster: cluster.name,
    ...(target ? { targetCluster: target } : {}),
    subject: { kind: 'HelmReleaseProxy', namespace, name: hrp.metadata.name },
    title: `HelmReleaseProxy ${hrp.metadata.name}: Helm rejects the values`,
    detail: [
      `Helm could not render chart ${hrp.spec?.chartName ?? '?'} with the values of this HelmReleaseProxy, so release ${managedRelease ? `${managedRelease.namespace}/${managedRelease.name}` : '?'} was not installed or upgraded.`,
      explain(failure.message),
      note ?? '',
      `Helm: ${failure.message}`,
    ].filter(Boolean).join(' '),
    evidence,
    remediation: remediation(cluster, 'helmreleaseproxy', hrp.metadata.name, namespace, failure.message, chartProxyOf(hrp)),
    facts: { ...(managedRelease ? { managedRelease } : {}) },
  };
}

function check(snapshot: Snapshot): FindingDraft[] {
  return snapshot.clusters.flatMap((cluster) => [
    ...cluster.list('HelmChartProxy').flatMap((hcp) => {
      const failure = hcpValuesFailure(hcp);
      return failure ? [hcpFinding(snapshot, cluster, hcp, failure)] : [];
    }),
    ...cluster.list('HelmReleaseProxy').flatMap((hrp) => {
      const failure = hrpFailure(hrp);
      return failure?.kind === 'values-invalid' ? [hrpFinding(snapshot, cluster, hrp, failure)] : [];
    }),
  ]);
}

export const rule: Rule = {
  meta: {
    code: 'HELM_VALUES_INVALID',
    severity: 'error',
    title: 'Helm values cannot be rendered or parsed',
    docs: "A HelmChartProxy whose valuesTemplate CAAPH cannot render (reason ValueParsingFailed: `map has no entry for key`, nil pointers, a missing KubeadmControlPlane behind .ControlPlane), or a HelmReleaseProxy whose values Helm rejects (`failed to parse values`, YAML errors, `error converting YAML to JSON`, the chart's schema or `required`). The root cause of that HCP's HCP_NOT_READY or that HRP's HRP_FAILED.",
  },
  check,
};
