import type { HelmChartProxy, HelmReleaseProxy } from '../schema/generated.js';
import type { ClusterView } from '../snapshot/cluster.js';
import { podsOfComponent } from '../snapshot/components.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { chartProxyOf } from './hrp-failed.js';
import { kubectl, shellQuote } from './kubectl.js';
import type { FindingDraft, Remediation, Rule } from './types.js';
import { hrpClusterRef, managedReleaseOf, targetNameOf } from './util/capi.js';
import { kubectlExec } from './util/commands.js';
import { hrpFailure, repoHost, type ChartSourceKind } from './util/helm-errors.js';

const WHAT: Record<ChartSourceKind, string> = {
  tls: 'the repository\'s TLS certificate is not trusted',
  auth: 'the repository refused the credentials',
  'not-found': 'the chart or version does not exist in the repository',
  unreachable: 'the repository cannot be reached',
  oci: 'the OCI registry returned an error',
  other: 'the chart could not be fetched',
};

const EXPLAIN: Record<ChartSourceKind, string> = {
  tls: 'Helm in the CAAPH controller does not trust the certificate the repository presents (a private CA, a TLS-intercepting proxy, or an expired certificate).',
  auth: 'The repository or registry answered 401/403: the credentials CAAPH passes are missing, wrong or lack pull rights.',
  'not-found': 'The repository answered, but has no chart of that name at that version (a typo, a version not mirrored, or a chart path that differs in the OCI registry).',
  unreachable: 'The CAAPH controller in the management cluster could not connect to the repository (DNS, proxy, firewall or the repository is down); air-gapped clusters need a reachable mirror.',
  oci: 'The OCI registry answered with an error for the chart\'s reference.',
  other: 'Helm could not fetch the chart.',
};

/** `helm show chart` for the chart an HRP asks for, from wherever it lives. */
function showChart(hrp: HelmReleaseProxy): string {
  const repo = hrp.spec?.repoURL ?? '';
  const chart = hrp.spec?.chartName ?? '';
  const version = hrp.spec?.version ? ['--version', hrp.spec.version] : [];
  const args = /^oci:/i.test(repo) ? ['helm', 'show', 'chart', `${repo.replace(/\/$/, '')}/${chart}`, ...version] : ['helm', 'show', 'chart', chart, '--repo', repo, ...version];
  return args.map(shellQuote).join(' ');
}

/** A URL that answers when the repository is reachable: an OCI registry's /v2/, a Helm repository's index.yaml. */
function probeUrl(repo: string): string {
  const oci = /^oci:\/\/([^/]+)/i.exec(repo);
  return oci ? `https://${oci[1]}/v2/` : `${repo.replace(/\/$/, '')}/index.yaml`;
}

function remediationFor(cluster: ClusterView, kind: ChartSourceKind, hrp: HelmReleaseProxy, hcp: HelmChartProxy | undefined): Remediation[] {
  const namespace = hrp.metadata.namespace ?? 'default';
  const host = repoHost(hrp.spec?.repoURL) ?? 'the repository';
  const hcpName = hcp?.metadata.name ?? chartProxyOf(hrp);
  const owner = hcpName ? ['helmchartproxy', hcpName] : ['helmreleaseproxy', hrp.metadata.name];
  const spec = hcp?.spec ?? hrp.spec;
  const patch = (json: object) => kubectl(cluster, 'patch', ...owner, '-n', namespace, '--type=merge', '-p', JSON.stringify({ spec: json }));
  const out: Remediation[] = [];
  switch (kind) {
    case 'tls': {
      const ca = spec?.tlsConfig?.caSecret;
      if (ca?.name) {
        out.push({
          text: `spec.tlsConfig.caSecret names Secret ${ca.namespace ?? namespace}/${ca.name}: check that its ca.crt is the CA that signed ${host}'s certificate`,
          command: `${kubectl(cluster, 'get', 'secret', ca.name, '-n', ca.namespace ?? namespace, '-o', 'jsonpath={.data.ca\\.crt}')} | base64 -d | openssl x509 -noout -subject -issuer -enddate`,
        });
      } else {
        const secret = `${hcpName ?? hrp.metadata.name}-repo-ca`;
        out.push({ text: `Put the CA certificate that signed ${host}'s certificate in a Secret (key ca.crt)`, command: kubectl(cluster, 'create', 'secret', 'generic', secret, '-n', namespace, '--from-file=ca.crt=./repo-ca.crt') });
        out.push({ text: `Reference it from the ${owner[0] === 'helmchartproxy' ? 'HelmChartProxy' : 'HelmReleaseProxy'}'s spec.tlsConfig.caSecret (insecureSkipTLSVerify only for a test)`, command: patch({ tlsConfig: { caSecret: { name: secret, namespace } } }) });
      }
      out.push({ text: `See the certificate ${host} presents`, command: `openssl s_client -connect ${shellQuote(`${host}:443`)} -servername ${shellQuote(host)} -showcerts </dev/null` });
      break;
    }
    case 'auth': {
      const creds = spec?.credentials?.secret;
      if (creds?.name) {
        out.push({
          text: `spec.credentials names Secret ${creds.namespace ?? namespace}/${creds.name} (key ${spec?.credentials?.key || 'config.json'}): check that it holds a valid registry config.json with pull rights on ${host}`,
          command: `${kubectl(cluster, 'get', 'secret', creds.name, '-n', creds.namespace ?? namespace, '-o', `jsonpath={.data.${(spec?.credentials?.key || 'config.json').replaceAll('.', '\\.')}}`)} | base64 -d`,
        });
      } else {
        const secret = `${hcpName ?? hrp.metadata.name}-registry-creds`;
        out.push({
          text: `Log in to ${host} and store the registry config in a Secret`,
          command: `helm registry login ${shellQuote(host)} --registry-config registry-config.json && ${kubectl(cluster, 'create', 'secret', 'generic', secret, '-n', namespace, '--from-file=config.json=registry-config.json')}`,
        });
        out.push({ text: 'Reference it from spec.credentials', command: patch({ credentials: { secret: { name: secret, namespace }, key: 'config.json' } }) });
      }
      break;
    }
    case 'not-found':
      out.push({ text: `Check that chart ${hrp.spec?.chartName ?? '?'}${hrp.spec?.version ? ` version ${hrp.spec.version}` : ''} exists in ${hrp.spec?.repoURL ?? 'the repository'} (and in its mirror)`, command: showChart(hrp) });
      if (hrp.spec?.version) out.push({ text: 'Set spec.version to a version the repository has', command: patch({ version: '<available-version>' }) });
      break;
    case 'unreachable':
    case 'oci':
    case 'other':
      out.push({ text: `Check that ${host} resolves and is reachable from the management cluster's pod network (proxy, firewall, mirror)`, command: kubectlExec(cluster, ['run', 'repo-check', '--rm', '-i', '--restart=Never', '--image=curlimages/curl'], ['curl', '-sSIv', probeUrl(hrp.spec?.repoURL ?? '')]) });
      out.push({ text: 'Fetch the chart the way CAAPH does', command: showChart(hrp) });
      break;
  }
  const controller = podsOfComponent(cluster, 'caaph')[0];
  if (controller) {
    out.push({ text: 'Read the CAAPH controller\'s log for the fetch error', command: kubectl(cluster, 'logs', controller.metadata.name, '-n', controller.metadata.namespace ?? 'default', '--tail=200') });
  }
  return out;
}

function findingFor(snapshot: Snapshot, cluster: ClusterView, hrp: HelmReleaseProxy): FindingDraft[] {
  const ref = hrpClusterRef(hrp);
  const endpoint = ref ? cluster.get('Cluster', ref.namespace, ref.name)?.spec?.controlPlaneEndpoint?.host : undefined;
  const failure = hrpFailure(hrp, endpoint);
  if (failure?.kind !== 'chart-source') return [];
  const kind = failure.sourceKind ?? 'other';
  const namespace = hrp.metadata.namespace;
  const hcpName = chartProxyOf(hrp);
  const hcp = hcpName ? cluster.get('HelmChartProxy', namespace, hcpName) : undefined;
  const chart = `${hrp.spec?.chartName ?? '?'}${hrp.spec?.version ? ` ${hrp.spec.version}` : ''}`;
  const repo = hrp.spec?.repoURL ?? '?';
  const target = targetNameOf(snapshot, hrp);
  const managedRelease = managedReleaseOf(snapshot, hrp);
  const c = failure.condition;
  return [{
    code: rule.meta.code,
    severity: rule.meta.severity,
    cluster: cluster.name,
    ...(target ? { targetCluster: target } : {}),
    subject: { kind: 'HelmReleaseProxy', ...(namespace !== undefined ? { namespace } : {}), name: hrp.metadata.name },
    title: `HelmReleaseProxy ${hrp.metadata.name} cannot fetch chart ${chart}: ${WHAT[kind]}`,
    detail: [
      `CAAPH could not fetch chart ${chart} from ${repo} (${kind === 'not-found' ? 'chart/version not found' : kind === 'oci' ? 'OCI registry error' : kind === 'other' ? 'fetch error' : kind}): ${EXPLAIN[kind]}`,
      `Nothing was installed or upgraded in ${target ?? 'the workload cluster'}; the workload cluster is not the cause.`,
      `Helm: ${failure.message}`,
    ].join(' '),
    evidence: [{ source: snapshot.sourceOf(hrp), text: `${c.type}=${c.status}${c.reason ? ` ${c.reason}` : ''}: ${failure.message}` }],
    remediation: remediationFor(cluster, kind, hrp, hcp),
    facts: {
      ...(managedRelease ? { managedRelease } : {}),
      sourceFailure: kind,
    },
  }];
}

function check(snapshot: Snapshot): FindingDraft[] {
  return snapshot.clusters.flatMap((cluster) => cluster.list('HelmReleaseProxy').flatMap((hrp) => findingFor(snapshot, cluster, hrp)));
}

export const rule: Rule = {
  meta: {
    code: 'HRP_CHART_SOURCE_FAILED',
    severity: 'error',
    title: 'HelmReleaseProxy cannot fetch its chart',
    docs: 'CAAPH could not fetch the chart of a HelmReleaseProxy: repository unreachable, TLS not trusted (x509), credentials refused (401/403), chart or version not found, or another OCI registry error, read from its HelmReleaseReady/Ready message. The detail says which; the fix is the CA bundle (spec.tlsConfig), the credentials Secret (spec.credentials) or the version. It is the root cause of the HRP_FAILED of the same HelmReleaseProxy.',
  },
  check,
};
