import type { Condition, HelmChartProxy, HelmReleaseProxy } from '../../schema/generated.js';
import { allConditions, condition, oneLine } from '../../snapshot/conditions.js';

/**
 * What kind of failure a CAAPH / Helm message reports. Each HelmReleaseProxy failure gets exactly
 * one kind, so that the rules built on it (chart source, values, stuck release, cluster
 * unreachable, webhook) never report the same message twice.
 */
export type HelmFailureKind = 'release-stuck' | 'cluster-unreachable' | 'values-invalid' | 'webhook' | 'chart-source';

/** What failed when Helm fetched the chart. */
export type ChartSourceKind = 'tls' | 'auth' | 'not-found' | 'unreachable' | 'oci' | 'other';

export interface HelmFailure {
  kind: HelmFailureKind;
  /** chart-source only. */
  sourceKind?: ChartSourceKind;
  /** webhook only: the webhook's name as the API server gives it (`webhook.cert-manager.io`). */
  webhook?: string;
  /** The message, on one line. */
  message: string;
  /** The condition it was read from. */
  condition: Condition;
}

const STUCK = /another operation \(install\/upgrade\/rollback\) is in progress|release is in a pending state|\bHelmReleasePending\b/i;

const CLUSTER_UNREACHABLE =
  /Kubernetes cluster unreachable|failed to (?:get|retrieve) kubeconfig|kubeconfig secret|failed to get cluster\b|failed to create (?:kubernetes|k8s|rest) client|Secret "[^"]+-kubeconfig" not found|control plane (?:is )?not (?:yet )?(?:initialized|available)/i;

const VALUES_INVALID = new RegExp([
  'failed to parse values',
  'ValueParsingFailed',
  'error converting YAML to JSON',
  'YAML parse error',
  String.raw`yaml: (?:line \d+|unmarshal errors|mapping values|did not find expected|found character|could not find expected)`,
  'error executing template',
  String.raw`template: [^\s:]+:\d+(?::\d+)?: (?:executing|function|unexpected|undefined|bad character|unterminated|unclosed)`,
  'map has no entry for key',
  'nil pointer evaluating',
  "values don't meet the specifications of the schema",
  String.raw`execution error at \(`,
].join('|'), 'i');

const WEBHOOK = /failed calling webhook "([^"]+)"|admission webhook "([^"]+)" denied the request/;

/** Words that put a message in the business of fetching a chart. */
const SOURCE_CONTEXT = new RegExp([
  'failed to download',
  String.raw`index\.yaml`,
  'oci://',
  String.raw`failed to (?:fetch|pull|load|locate|resolve)\b`,
  'is not a valid chart repository',
  String.raw`chart "[^"]*" (?:version "[^"]*" )?not found`,
  'no chart (?:version|name) found',
  String.raw`repo \S+ not found`,
  'failed to authorize',
  'failed to do request',
  'FetchReference',
  'manifest unknown',
  'pull access denied',
  'chart repository',
  String.raw`/v2/`,
].join('|'), 'i');

const SOURCE_TLS = /x509:|certificate signed by unknown authority|tls: failed to verify|certificate (?:has expired|is not valid|is valid for)|unknown certificate authority|tls: handshake failure|certificate verify failed/i;
const SOURCE_AUTH = /\b401\b|\b403\b|unauthorized|forbidden|authentication required|denied:|pull access denied|failed to authorize|invalid (?:username|credentials|password)|basic credential not found|insufficient_scope/i;
const SOURCE_NOT_FOUND = /not found|\b404\b|manifest unknown|no chart (?:version|name) found|failed to download "[^"]+" at version|name unknown|invalid_reference|could not find/i;
const SOURCE_UNREACHABLE = /no such host|connection refused|i\/o timeout|network is unreachable|no route to host|context deadline exceeded|Client\.Timeout|TLS handshake timeout|connection reset|server misbehaving|timeout awaiting|\bEOF\b/i;

/** A failed connection (`dial tcp 10.0.0.5:6443: connect: connection refused`), with the address it named. */
const CONNECTION = /(?:dial tcp |https?:\/\/)\[?([0-9A-Za-z.:-]+?)\]?:(\d+)\b[^\n]*?(?:i\/o timeout|connection refused|no route to host|network is unreachable|connection reset by peer|TLS handshake timeout|context deadline exceeded)/;

/** The host of a repository URL (`oci://registry.example/charts` → `registry.example`). */
export function repoHost(repoURL: string | undefined): string | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?\[?([^/\]:]+)/i.exec(repoURL ?? '');
  return match?.[1]?.toLowerCase();
}

/** What failed when the chart was fetched, from a message already known to be about the chart source. */
export function chartSourceKind(message: string, repoURL?: string): ChartSourceKind {
  if (SOURCE_TLS.test(message)) return 'tls';
  if (SOURCE_AUTH.test(message)) return 'auth';
  if (SOURCE_NOT_FOUND.test(message)) return 'not-found';
  if (SOURCE_UNREACHABLE.test(message)) return 'unreachable';
  if (/^oci:/i.test(repoURL ?? '') || /oci:\/\/|manifest|registry/i.test(message)) return 'oci';
  return 'other';
}

/** The address and port a failed connection in the message names, if any. */
export function failedConnection(message: string): { host: string; port: string } | undefined {
  const match = CONNECTION.exec(message);
  return match?.[1] && match[2] ? { host: match[1], port: match[2] } : undefined;
}

export interface ClassifyContext {
  /** The chart repository the HRP/HCP fetches from. */
  repoURL?: string;
  /** The target cluster's control-plane endpoint host (a failed connection there is the cluster, not the chart). */
  endpointHost?: string;
}

/** The kind of failure one message reports, or undefined when it is none of the kinds above (e.g. a hook timeout). */
export function classifyHelmMessage(message: string, context: ClassifyContext = {}): Omit<HelmFailure, 'message' | 'condition'> | undefined {
  if (!message) return undefined;
  if (STUCK.test(message)) return { kind: 'release-stuck' };
  if (CLUSTER_UNREACHABLE.test(message)) return { kind: 'cluster-unreachable' };
  const host = repoHost(context.repoURL);
  const connection = failedConnection(message);
  const namesRepo = !!host && message.toLowerCase().includes(host);
  if (connection && !namesRepo && (connection.host === context.endpointHost || connection.port === '6443')) return { kind: 'cluster-unreachable' };
  if (VALUES_INVALID.test(message)) return { kind: 'values-invalid' };
  const webhook = WEBHOOK.exec(message);
  if (webhook) return { kind: 'webhook', webhook: webhook[1] ?? webhook[2] ?? '' };
  if (SOURCE_CONTEXT.test(message) || namesRepo) return { kind: 'chart-source', sourceKind: chartSourceKind(message, context.repoURL) };
  return undefined;
}

/** ClusterAvailable reasons (CAAPH ≥ v0.3) that are about the chart source's credentials or CA, not the cluster. */
const SOURCE_SECRET_REASONS: Record<string, ChartSourceKind> = { GetCredentialsFailed: 'auth', GetCACertificateFailed: 'tls' };

/**
 * The failure an HRP reports: ClusterAvailable first (CAAPH stops there), then Helm's own message
 * (HelmReleaseReady), then the aggregated Ready.
 */
export function hrpFailure(hrp: HelmReleaseProxy, endpointHost?: string): HelmFailure | undefined {
  const context = { repoURL: hrp.spec?.repoURL, endpointHost };
  const available = condition(hrp, 'ClusterAvailable');
  if (available?.status === 'False') {
    const message = oneLine(available.message ?? '');
    const sourceKind = SOURCE_SECRET_REASONS[available.reason ?? ''];
    if (sourceKind) return { kind: 'chart-source', sourceKind, message, condition: available };
    return { kind: 'cluster-unreachable', message, condition: available };
  }
  const candidates = [condition(hrp, 'HelmReleaseReady'), condition(hrp, 'Ready')].filter((c): c is Condition => !!c && c.status !== 'True');
  for (const c of candidates) {
    const message = oneLine(c.message ?? '');
    const found = classifyHelmMessage(`${message} ${c.reason === 'HelmReleasePending' ? 'HelmReleasePending' : ''}`.trim(), context);
    if (found) return { ...found, message: message || c.reason || '', condition: c };
  }
  return undefined;
}

/** The values failure an HCP reports (CAAPH's ValueParsingFailed reason or a template/YAML error in any condition). */
export function hcpValuesFailure(hcp: HelmChartProxy): HelmFailure | undefined {
  // The specific condition first: Ready only aggregates it.
  const failing = allConditions(hcp).filter((c) => c.status !== 'True').sort((a, b) => Number(a.type === 'Ready') - Number(b.type === 'Ready'));
  const byReason = failing.find((c) => c.reason === 'ValueParsingFailed');
  const chosen = byReason ?? failing.find((c) => VALUES_INVALID.test(c.message ?? ''));
  if (!chosen) return undefined;
  return { kind: 'values-invalid', message: oneLine(chosen.message ?? ''), condition: chosen };
}

/** The template expression a Go template error stopped at (`.Cluster.spec.foo`), and the cluster CAAPH rendered it for. */
export function templateErrorParts(message: string): { expression?: string; cluster?: string; missingKey?: string } {
  const expression = /executing "[^"]*" at <([^>]+)>/.exec(message)?.[1];
  const cluster = /on cluster '([^']+)'|on cluster ([A-Za-z0-9.-]+)/.exec(message);
  const missingKey = /map has no entry for key "([^"]+)"/.exec(message)?.[1];
  return {
    ...(expression ? { expression } : {}),
    ...(cluster ? { cluster: cluster[1] ?? cluster[2] } : {}),
    ...(missingKey ? { missingKey } : {}),
  };
}
