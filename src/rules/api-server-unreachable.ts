import type { Pod } from '../schema/generated.js';
import type { ClusterView } from '../snapshot/cluster.js';
import { apiAddresses, isClusterIp, type ApiAddresses } from '../snapshot/network.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { kubectl } from './kubectl.js';
import type { Evidence, FindingDraft, Rule } from './types.js';
import { podFacts, podsWorthALook } from './util/pod-facts.js';

/** A failed TCP/TLS connection, as Go's net/http and client-go print it. */
const CONNECTION_FAILURE = /(?:dial tcp |https:\/\/)\[?([0-9a-fA-F.:]+?|[a-z0-9.-]+)\]?:(\d+)\b.*?(i\/o timeout|connection refused|no route to host|network is unreachable|connection reset by peer|TLS handshake timeout|context deadline exceeded)/;
const API_PATH = /https:\/\/[^/\s"]+\/(?:api|apis|version|healthz|livez|readyz)\b/;

interface Hit {
  address: string;
  port: string;
  error: string;
  line: string;
  source: string;
  count: number;
}

function isApiTarget(address: string, port: string, line: string, api: ApiAddresses): boolean {
  return isClusterIp(address, api) || api.endpoints.has(address) || API_PATH.test(line) || port === '6443' || address === 'kubernetes.default.svc';
}

/** The latest line of the pod's logs and statuses that shows a failed connection to the API server. */
function lastApiFailure(cluster: ClusterView, pod: Pod, api: ApiAddresses, snapshotSource: string): Hit | undefined {
  let hit: Hit | undefined;
  let count = 0;
  const consider = (line: string, source: string) => {
    const match = CONNECTION_FAILURE.exec(line);
    if (!match) return;
    const [, address = '', port = '', error = ''] = match;
    if (!isApiTarget(address, port, line, api)) return;
    count++;
    hit = { address, port, error, line: line.trim().slice(0, 500), source, count };
  };
  const namespace = pod.metadata.namespace ?? 'default';
  for (const container of pod.spec.containers) {
    // The crashed instance's log goes last, so its line is the one quoted.
    for (const previous of [false, true]) {
      const log = cluster.log(namespace, pod.metadata.name, container.name, previous);
      for (const line of log?.lines ?? []) consider(line, log?.source ?? '');
    }
  }
  for (const status of pod.status?.containerStatuses ?? []) {
    const message = status.lastState?.terminated?.message ?? status.state?.terminated?.message;
    if (message) for (const line of message.split('\n')) consider(line, snapshotSource);
  }
  return hit ? { ...hit, count } : undefined;
}

function check(snapshot: Snapshot): FindingDraft[] {
  return snapshot.clusters.flatMap((cluster) => {
    const api = apiAddresses(snapshot, cluster);
    return podsWorthALook(cluster).flatMap((pod): FindingDraft[] => {
      const statuses = pod.status?.containerStatuses ?? [];
      const healthyNow = statuses.length > 0 && statuses.every((s) => s.ready);
      const restarted = statuses.some((s) => (s.restartCount ?? 0) > 0);
      // A pod that is ready and never restarted has recovered from whatever it logged.
      if (healthyNow && !restarted) return [];
      const hit = lastApiFailure(cluster, pod, api, snapshot.sourceOf(pod));
      if (!hit) return [];
      const namespace = pod.metadata.namespace ?? 'default';
      const via = isClusterIp(hit.address, api)
        ? `${hit.address} is the ClusterIP of the API server, reachable only through the cluster network (CNI / kube-proxy datapath)`
        : api.endpoints.has(hit.address) ? `${hit.address} is the control-plane endpoint` : '';
      const evidence: Evidence[] = [{ source: hit.source, text: hit.line }];
      return [{
        code: rule.meta.code,
        severity: healthyNow ? 'warning' : 'error',
        cluster: cluster.name,
        subject: { kind: 'Pod', namespace, name: pod.metadata.name },
        title: `${pod.metadata.name} cannot reach the Kubernetes API (dial tcp ${hit.address}:${hit.port}: ${hit.error})`,
        detail: [
          `${hit.count} failed connection${hit.count === 1 ? '' : 's'} to the API server at ${hit.address}:${hit.port} (${hit.error}) in its logs.`,
          via ? `${via}.` : '',
          healthyNow ? 'The pod is ready now: it has recovered.' : '',
        ].filter(Boolean).join(' '),
        evidence,
        remediation: [{
          text: 'Check that the API server has endpoints and that the cluster network (CNI) is up',
          command: kubectl(cluster, 'get', 'endpoints', 'kubernetes', '-n', 'default', '-o', 'wide'),
        }],
        facts: {
          ...podFacts(cluster, pod),
          apiAddress: hit.address,
          apiViaClusterIp: isClusterIp(hit.address, api),
        },
      }];
    });
  });
}

export const rule: Rule = {
  meta: {
    code: 'API_SERVER_UNREACHABLE',
    severity: 'error',
    title: 'Pod cannot reach the Kubernetes API',
    docs: 'A pod whose logs or termination messages show failed connections to the API server (e.g. `dial tcp 10.96.0.1:443: i/o timeout`). A ClusterIP address points at the cluster network (CNI) as the cause; the control-plane endpoint points at the VIP or load balancer.',
  },
  check,
};
