import type { Pod } from '../schema/generated.js';
import type { ClusterView } from '../snapshot/cluster.js';
import { componentOf, podsOfComponent } from '../snapshot/components.js';
import { capiClusterOf } from '../snapshot/network.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { kubectl } from './kubectl.js';
import type { Evidence, FindingDraft, Remediation, Rule, Subject } from './types.js';
import { capiClusterRef } from './util/capi.js';
import { kubectlExec } from './util/commands.js';
import { plural, subjectOf, podsWorthALook } from './util/pod-facts.js';

/** kube-vip could not take the address: the VIP is not served by anyone. */
const VIP_ASSIGN_ERROR = /failed to add (?:IP|address|VIP)|error adding (?:address|ip|vip)|cannot assign requested address|unable to (?:add|assign|find) (?:the )?(?:vip|address|ip)|no such (?:network interface|device)|failed to (?:bind|assign)|error (?:creating|sending) (?:gratuitous )?arp/i;
/** kube-vip could not win or keep its leader lease (it then releases the VIP). */
const LEADER_ERROR = /error retrieving resource lock|failed to update lock|leader ?election lost|failed to acquire lease|failed to renew lease|lost lease/i;
const FAILED_CONNECTION = /(?:dial tcp |https:\/\/)\[?([0-9A-Za-z.:-]+?)\]?:(\d+)\b[^\n]*?(i\/o timeout|connection refused|no route to host|network is unreachable|connection reset by peer|TLS handshake timeout|context deadline exceeded)/;

interface Unreachable {
  pod: Pod;
  line: string;
  source: string;
  error: string;
}

/** A log line as it was written, trimmed and capped. */
function quote(line: string, max = 400): string {
  const t = line.trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

function ready(pod: Pod): boolean {
  const statuses = pod.status?.containerStatuses ?? [];
  return pod.status?.phase === 'Running' && statuses.length > 0 && statuses.every((s) => s.ready);
}

function restarted(pod: Pod): boolean {
  return (pod.status?.containerStatuses ?? []).some((s) => (s.restartCount ?? 0) > 0);
}

/** The address kube-vip is told to serve (env `address` / `vip_address`), and its port. */
function vipAddress(pod: Pod): { host?: string; port?: string } {
  for (const c of pod.spec.containers) {
    const env = new Map((c.env ?? []).map((e) => [e.name, e.value]));
    const host = env.get('address') ?? env.get('vip_address');
    if (host) return { host, ...(env.get('port') ? { port: env.get('port') } : {}) };
  }
  return {};
}

/** Log lines of kube-vip pods that say the VIP is not served, newest last. */
function vipErrorLines(cluster: ClusterView, pods: Pod[], withLeader: boolean): Evidence[] {
  const out: Evidence[] = [];
  for (const pod of pods) {
    // A healthy, never-restarted kube-vip that once lost a lease has recovered.
    if (ready(pod) && !restarted(pod)) continue;
    for (const container of pod.spec.containers) {
      for (const previous of [true, false]) {
        const log = cluster.log(pod.metadata.namespace ?? 'default', pod.metadata.name, container.name, previous);
        const lines = (log?.lines ?? []).filter((l) => VIP_ASSIGN_ERROR.test(l) || (withLeader && LEADER_ERROR.test(l)));
        if (log && lines.length > 0) out.push({ source: log.source, text: lines.slice(-3).map((l) => quote(l)).join('\n') });
      }
    }
  }
  return out;
}

/** Pods (not healthy now, or restarted) whose logs or termination messages show failed connections to the endpoint. */
function podsFailingToReach(cluster: ClusterView, host: string, cniDown: boolean, sourceOf: (p: Pod) => string): Unreachable[] {
  const out: Unreachable[] = [];
  for (const pod of podsWorthALook(cluster)) {
    if (ready(pod) && !restarted(pod)) continue;
    // Without the CNI, a pod on the pod network cannot reach anything: that is not the endpoint's fault.
    if (cniDown && !pod.spec.hostNetwork) continue;
    let hit: Unreachable | undefined;
    const consider = (line: string, source: string) => {
      const m = FAILED_CONNECTION.exec(line);
      if (m && m[1] === host) hit = { pod, line: quote(line), source, error: m[3] ?? 'failed' };
    };
    for (const container of pod.spec.containers) {
      for (const previous of [false, true]) {
        const log = cluster.log(pod.metadata.namespace ?? 'default', pod.metadata.name, container.name, previous);
        for (const line of log?.lines ?? []) consider(line, log!.source);
      }
    }
    for (const s of pod.status?.containerStatuses ?? []) {
      const message = s.lastState?.terminated?.message ?? s.state?.terminated?.message;
      for (const line of message?.split('\n') ?? []) consider(line, sourceOf(pod));
    }
    if (hit) out.push(hit);
  }
  return out;
}

function describePod(pod: Pod): string {
  const statuses = pod.status?.containerStatuses ?? [];
  const waiting = statuses.find((s) => s.state?.waiting?.reason)?.state?.waiting?.reason;
  const restarts = Math.max(0, ...statuses.map((s) => s.restartCount ?? 0));
  return `${pod.metadata.name} (${waiting ?? (ready(pod) ? 'ready' : pod.status?.phase ?? 'not ready')}${restarts > 0 ? `, ${restarts} restarts` : ''})`;
}

function check(snapshot: Snapshot): FindingDraft[] {
  return snapshot.clusters.flatMap((cluster): FindingDraft[] => {
    const capi = capiClusterOf(snapshot, cluster);
    const vipPods = podsOfComponent(cluster, 'kube-vip');
    const configured = vipPods.map(vipAddress).find((a) => a.host);
    const host = capi?.spec?.controlPlaneEndpoint?.host ?? configured?.host;
    if (!host) return [];
    const port = String(capi?.spec?.controlPlaneEndpoint?.port ?? configured?.port ?? 6443);
    const servingVip = vipPods.filter((p) => vipAddress(p).host === undefined || vipAddress(p).host === host);
    const cniDown = cluster.list('DaemonSet').some((ds) => componentOf(ds)?.component === 'cni' && (ds.status?.numberReady ?? 0) < (ds.status?.desiredNumberScheduled ?? 0));
    const failing = podsFailingToReach(cluster, host, cniDown, (p) => snapshot.sourceOf(p));
    const allVipDown = servingVip.length > 0 && servingVip.every((p) => !ready(p));
    const vipErrors = vipErrorLines(cluster, servingVip, allVipDown || failing.length > 0);
    if (!allVipDown && vipErrors.length === 0 && failing.length === 0) return [];

    const capiRef = cluster.identity.capiCluster;
    const mgmt = capiRef ? snapshot.managementClusters().find((m) => m.get('Cluster', capiRef.namespace, capiRef.name)) : undefined;
    const endpoint = `${host}:${port}`;
    const sentences = [`The control-plane endpoint ${endpoint}${capi ? ` (spec.controlPlaneEndpoint of CAPI Cluster ${capi.metadata.namespace}/${capi.metadata.name})` : ' (kube-vip\'s address)'} is not served.`];
    if (servingVip.length > 0) {
      sentences.push(`kube-vip, which should hold this virtual IP on a control-plane node, ${allVipDown ? 'is not running' : 'reports errors'}: ${servingVip.slice(0, 4).map(describePod).join(', ')}.`);
      if (vipErrors.length > 0) sentences.push('Its log shows it cannot take or keep the address (see evidence).');
    } else {
      sentences.push('No kube-vip pod was found: the address is served by a load balancer or VIP outside the cluster.');
    }
    if (failing.length > 0) {
      const hostNetworkOnly = cniDown ? ' (host-network pods only, since the CNI is down)' : '';
      sentences.push(`${plural(failing.length, 'pod')}${hostNetworkOnly} cannot connect to ${endpoint}: ${failing.slice(0, 4).map((u) => `${u.pod.metadata.name} (${u.error})`).join(', ')}.`);
    }
    sentences.push('Whatever uses the endpoint (kubelets, the CNI with kube-proxy replacement, the CCM, CAPI and CAAPH in the management cluster) loses the API server.');

    const evidence: Evidence[] = [...vipErrors.slice(0, 2), ...failing.slice(0, 2).map((u) => ({ source: u.source, text: u.line }))];
    if (evidence.length === 0) evidence.push(...servingVip.slice(0, 2).map((p) => ({ source: snapshot.sourceOf(p), text: describePod(p) })));

    const remediation: Remediation[] = [];
    const firstVip = servingVip[0];
    if (firstVip) {
      remediation.push({ text: 'Read kube-vip\'s log', command: kubectl(cluster, 'logs', firstVip.metadata.name, '-n', firstVip.metadata.namespace ?? 'kube-system', '--previous') });
      remediation.push({ text: `On each control-plane node, check whether the VIP is assigned (ip -br addr | grep ${host}) and that kube-vip's vip_interface exists there; the VIP must be free on the network (ARP) or announced (BGP)` });
      remediation.push({ text: 'On Kubernetes ≥ 1.29 with kubeadm, kube-vip on the first control plane must use /etc/kubernetes/super-admin.conf during kubeadm init (admin.conf only works once the VIP is up)' });
    } else {
      remediation.push({ text: `Check the load balancer in front of the API servers: it must listen on ${endpoint} and have healthy control-plane backends` });
    }
    remediation.push({ text: `Check that the endpoint answers from a node`, command: kubectlExec(cluster, ['run', 'endpoint-check', '--rm', '-i', '--restart=Never', '--image=curlimages/curl', '--overrides={"spec":{"hostNetwork":true}}'], ['curl', '-sk', `https://${endpoint}/readyz`]) });

    const subject: Subject = firstVip
      ? subjectOf(cluster.topOwner(firstVip))
      : { kind: 'ControlPlaneEndpoint', name: endpoint };
    return [{
      code: rule.meta.code,
      severity: rule.meta.severity,
      cluster: cluster.name,
      subject,
      title: `Control-plane endpoint ${endpoint} is not served${servingVip.length > 0 ? ' (kube-vip)' : ''}`,
      detail: sentences.join(' '),
      evidence,
      remediation,
      facts: {
        apiAddress: host,
        apiViaClusterIp: false,
        ...(servingVip.length > 0 ? { component: 'kube-vip', product: 'kube-vip' } : {}),
        ...(capiRef && mgmt ? { capiCluster: capiClusterRef(mgmt, capiRef.namespace, capiRef.name) } : {}),
        workloadCluster: cluster.name,
      },
    }];
  });
}

export const rule: Rule = {
  meta: {
    code: 'CONTROL_PLANE_ENDPOINT_UNREACHABLE',
    severity: 'error',
    title: 'Control-plane endpoint not served',
    docs: "The API endpoint the cluster advertises (the CAPI Cluster's spec.controlPlaneEndpoint, or kube-vip's address) is not served: kube-vip is down or logs that it cannot take the VIP or keep its leader lease (`failed to add IP`, lease errors), and/or pods fail to connect to that address. It explains the API_SERVER_UNREACHABLE findings that name the endpoint (not a ClusterIP) and CAAPH's CLUSTER_UNREACHABLE.",
  },
  check,
};
