import type { MutatingWebhookConfiguration, Pod, ValidatingWebhookConfiguration } from '../schema/generated.js';
import type { ClusterView } from '../snapshot/cluster.js';
import { eventMessage, kindNameOf } from '../snapshot/cluster.js';
import { KINDS, type AnyObject, type KindName } from '../snapshot/kinds.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { kubectl } from './kubectl.js';
import type { Evidence, FindingDraft, ObjectRef, ReleaseRef, Remediation, Rule } from './types.js';
import { hrpClusterRef, managedReleaseOf, targetNameOf } from './util/capi.js';
import { kubectlWith, workloadAccess, type WorkloadAccess } from './util/commands.js';
import { hrpFailure } from './util/helm-errors.js';
import { objectRef, oneLine } from './util/pod-facts.js';

const WEBHOOK_MESSAGE = /failed calling webhook "([^"]+)"|admission webhook "([^"]+)" denied the request/;
const SERVICE_URL = /https:\/\/([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc(?:\.cluster\.local)?(?::\d+)?/;
const TIMEOUT = /context deadline exceeded|i\/o timeout|Client\.Timeout|timeout exceeded|\btimed out\b/i;
const REFUSED = /connection refused|no endpoints available|no route to host|connection reset/i;

interface Group {
  /** The cluster whose API server calls the webhook (where it lives). */
  clusterName: string;
  view?: ClusterView;
  /** The management cluster that reported it through an HRP, when it was one. */
  mgmt?: ClusterView;
  capi?: { namespace?: string; name: string };
  webhook: string;
  messages: Evidence[];
  blockedReleases: ReleaseRef[];
  blockedWorkloads: ObjectRef[];
}

type WebhookConfig = ValidatingWebhookConfiguration | MutatingWebhookConfiguration;

function webhookName(message: string): string | undefined {
  const match = WEBHOOK_MESSAGE.exec(message);
  return match ? match[1] ?? match[2] : undefined;
}

function isKind(kind: string | undefined): kind is KindName {
  return !!kind && Object.hasOwn(KINDS, kind);
}

/** The workload an event or condition is about, as WORKLOAD_UNAVAILABLE / JOB_FAILED name it (the outermost owner). */
function blockedRef(cluster: ClusterView, kind: string | undefined, namespace: string | undefined, name: string | undefined): ObjectRef | undefined {
  if (!kind || !name) return undefined;
  const obj = isKind(kind) ? cluster.get(kind, KINDS[kind].namespaced ? namespace : undefined, name) : undefined;
  if (obj) return objectRef(cluster, cluster.topOwner(obj));
  return { cluster: cluster.name, kind, ...(namespace ? { namespace } : {}), name };
}

function collect(snapshot: Snapshot): Group[] {
  const groups = new Map<string, Group>();
  const groupFor = (clusterName: string, webhook: string, init: Partial<Group>) => {
    const key = `${clusterName}\u0000${webhook}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { clusterName, webhook, messages: [], blockedReleases: [], blockedWorkloads: [], ...init }));
    return group;
  };
  const addWorkload = (group: Group, ref: ObjectRef | undefined) => {
    if (ref && !group.blockedWorkloads.some((w) => w.kind === ref.kind && w.namespace === ref.namespace && w.name === ref.name)) group.blockedWorkloads.push(ref);
  };

  for (const cluster of snapshot.clusters) {
    for (const event of cluster.list('Event')) {
      const message = eventMessage(event);
      const webhook = webhookName(message);
      if (!webhook) continue;
      const group = groupFor(cluster.name, webhook, { view: cluster });
      const involved = event.involvedObject ?? event.regarding;
      group.messages.push({ source: snapshot.sourceOf(event), text: `${involved?.kind ?? ''} ${involved?.name ?? ''}: ${oneLine(message, 800)}`.trim() });
      addWorkload(group, blockedRef(cluster, involved?.kind, involved?.namespace ?? event.metadata.namespace, involved?.name));
    }
    const workloads: AnyObject[] = [...cluster.list('ReplicaSet'), ...cluster.list('Deployment'), ...cluster.list('DaemonSet'), ...cluster.list('StatefulSet')];
    for (const obj of workloads) {
      for (const c of (obj as { status?: { conditions?: { message?: string; type: string; status: string }[] | null } }).status?.conditions ?? []) {
        const webhook = webhookName(c.message ?? '');
        if (!webhook) continue;
        const group = groupFor(cluster.name, webhook, { view: cluster });
        group.messages.push({ source: snapshot.sourceOf(obj), text: `${kindNameOf(obj)} ${obj.metadata.name} ${c.type}: ${oneLine(c.message ?? '', 800)}` });
        addWorkload(group, objectRef(cluster, cluster.topOwner(obj)));
      }
    }
    for (const hrp of cluster.list('HelmReleaseProxy')) {
      const failure = hrpFailure(hrp);
      if (failure?.kind !== 'webhook' || !failure.webhook) continue;
      const view = snapshot.targetOf(hrp);
      const capi = hrpClusterRef(hrp);
      const group = groupFor(view?.name ?? `${cluster.name}→${targetNameOf(snapshot, hrp) ?? '?'}`, failure.webhook, { ...(view ? { view } : {}), mgmt: cluster, ...(capi ? { capi } : {}) });
      group.mgmt ??= cluster;
      group.messages.push({ source: snapshot.sourceOf(hrp), text: `HelmReleaseProxy ${hrp.metadata.name}: ${failure.message}` });
      const release = managedReleaseOf(snapshot, hrp);
      if (release) group.blockedReleases.push(release);
    }
  }
  return [...groups.values()];
}

function findConfig(view: ClusterView | undefined, webhook: string): { config: WebhookConfig; index: number } | undefined {
  if (!view) return undefined;
  for (const config of [...view.list('ValidatingWebhookConfiguration'), ...view.list('MutatingWebhookConfiguration')] as WebhookConfig[]) {
    const index = (config.webhooks ?? []).findIndex((w) => w.name === webhook);
    if (index >= 0) return { config, index };
  }
  return undefined;
}

function podState(pod: Pod): string {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const waiting = statuses.find((s) => s.state?.waiting?.reason && s.state.waiting.reason !== 'PodInitializing')?.state?.waiting?.reason;
  if (waiting) return waiting;
  if (!pod.spec.nodeName) return 'Pending';
  return (pod.status?.containerStatuses ?? []).every((s) => s.ready) && pod.status?.phase === 'Running' ? 'ready' : 'not ready';
}

function findingFor(snapshot: Snapshot, group: Group): FindingDraft {
  const { view, webhook } = group;
  const text = group.messages.map((m) => m.text).join('\n');
  const denied = /denied the request/.test(text) && !/failed calling webhook/.test(text);
  const timedOut = !denied && TIMEOUT.test(text);
  const refused = !denied && REFUSED.test(text);
  const found = findConfig(view, webhook);
  const hook = found ? (found.config.webhooks ?? [])[found.index] : undefined;
  const fromUrl = SERVICE_URL.exec(text);
  const svc = hook?.clientConfig?.service?.name
    ? { name: hook.clientConfig.service.name, namespace: hook.clientConfig.service.namespace ?? 'default' }
    : fromUrl ? { name: fromUrl[1]!, namespace: fromUrl[3]! } : undefined;
  const service = svc && view ? view.get('Service', svc.namespace, svc.name) : undefined;
  const selector = Object.entries(service?.spec?.selector ?? {});
  const pods = view && svc && selector.length > 0
    ? view.list('Pod', svc.namespace).filter((p) => selector.every(([k, v]) => p.metadata.labels?.[k] === v))
    : [];
  const down = pods.filter((p) => podState(p) !== 'ready');
  const dependsOn: ObjectRef[] = [];
  for (const pod of pods) {
    dependsOn.push(objectRef(view!, pod));
    const owner = view!.topOwner(pod);
    if (owner !== pod && !dependsOn.some((d) => d.name === owner.metadata.name && d.kind === kindNameOf(owner))) dependsOn.push(objectRef(view!, owner));
  }

  const where = view ? `cluster ${view.name}` : `the workload cluster${group.capi ? ` ${group.capi.name}` : ''}`;
  const sentences: string[] = [];
  if (denied) {
    sentences.push(`The admission webhook ${webhook} in ${where} rejects the objects (denied the request): a policy (or the webhook's own validation) refuses what the chart creates.`);
  } else {
    sentences.push(`The API server of ${where} cannot get an answer from the admission webhook ${webhook}${timedOut ? ' (timed out)' : refused ? ' (connection refused / no endpoints)' : ''}${hook?.failurePolicy !== 'Ignore' ? ', and its failurePolicy makes every matching request fail' : ''}.`);
  }
  if (svc) {
    sentences.push(`It is served by Service ${svc.namespace}/${svc.name}${service ? '' : view ? ' (not found in the bundle)' : ''}${pods.length > 0 ? `, whose pods are ${down.length === 0 ? 'all ready' : `not all ready: ${down.slice(0, 4).map((p) => `${p.metadata.name} (${podState(p)})`).join(', ')}`}` : service && selector.length > 0 ? ', which has no pods' : ''}.`);
  }
  if (timedOut && down.length === 0 && !denied) sentences.push('With its pods up, a timeout means the API server (host network) cannot reach the pod network: the CNI, a NetworkPolicy or a firewall between control plane and nodes.');
  if (group.blockedReleases.length > 0) sentences.push(`Helm releases blocked: ${group.blockedReleases.map((r) => `${r.namespace ?? 'default'}/${r.name}`).join(', ')}.`);
  if (group.blockedWorkloads.length > 0) sentences.push(`Objects that cannot be created: ${group.blockedWorkloads.slice(0, 5).map((w) => `${w.kind} ${w.namespace ? `${w.namespace}/` : ''}${w.name}`).join(', ')}.`);

  const evidence: Evidence[] = group.messages.slice(-3);
  if (found) {
    evidence.push({
      source: snapshot.sourceOf(found.config),
      text: `${kindNameOf(found.config)} ${found.config.metadata.name}: webhook ${webhook} → ${svc ? `service ${svc.namespace}/${svc.name}` : hook?.clientConfig?.url ?? '?'}, failurePolicy ${hook?.failurePolicy ?? 'Fail'}, timeoutSeconds ${hook?.timeoutSeconds ?? 10}`,
    });
  }

  const access: WorkloadAccess | undefined = view
    ? undefined
    : group.capi ? workloadAccess(undefined, group.mgmt, group.capi) : undefined;
  const k = (...args: string[]) => (view ? kubectl(view, ...args) : access ? kubectlWith(access, ...args) : undefined);
  const remediation: Remediation[] = [];
  if (access?.fetch) remediation.push(access.fetch);
  if (svc) {
    const endpoints = k('get', 'endpoints', svc.name, '-n', svc.namespace);
    remediation.push({ text: `Check that Service ${svc.namespace}/${svc.name} has ready endpoints`, ...(endpoints ? { command: endpoints } : {}) });
    if (selector.length > 0) {
      const list = k('get', 'pods', '-n', svc.namespace, '-l', selector.map(([key, v]) => `${key}=${v}`).join(','), '-o', 'wide');
      remediation.push({ text: 'Check the webhook\'s pods', ...(list ? { command: list } : {}) });
    }
  }
  if (denied) {
    remediation.push({ text: 'Read the rejection reason and change the chart\'s values to satisfy the policy, or add a policy exception for this release' });
  } else if (found) {
    const kind = kindNameOf(found.config).toLowerCase();
    const patch = k('patch', kind, found.config.metadata.name, '--type=json', '-p', JSON.stringify([{ op: 'replace', path: `/webhooks/${found.index}/failurePolicy`, value: 'Ignore' }]));
    remediation.push({
      text: 'Workaround only, while the webhook\'s backend is down (for instance when its own pods need it to start): let requests through by setting its failurePolicy to Ignore; its operator or chart restores it',
      ...(patch ? { command: patch } : {}),
      workaround: true,
    });
  }

  const subject = found
    ? { kind: kindNameOf(found.config), name: found.config.metadata.name }
    : { kind: 'Webhook', name: webhook };
  const cluster = view?.name ?? group.mgmt?.name ?? group.clusterName;
  return {
    code: rule.meta.code,
    severity: rule.meta.severity,
    cluster,
    ...(!view && group.capi ? { targetCluster: group.capi.name } : {}),
    subject,
    title: `Admission webhook ${webhook} ${denied ? 'denies the request' : timedOut ? 'times out' : refused ? 'is unreachable' : 'fails'}`,
    detail: sentences.join(' '),
    evidence,
    remediation,
    facts: {
      ...(timedOut ? { timedOut: true } : {}),
      ...(dependsOn.length > 0 ? { dependsOn } : {}),
      ...(group.blockedReleases.length > 0 ? { blockedReleases: group.blockedReleases } : {}),
      ...(group.blockedWorkloads.length > 0 ? { blockedWorkloads: group.blockedWorkloads } : {}),
    },
  };
}

function check(snapshot: Snapshot): FindingDraft[] {
  return collect(snapshot).map((group) => findingFor(snapshot, group));
}

export const rule: Rule = {
  meta: {
    code: 'WEBHOOK_FAILING',
    severity: 'error',
    title: 'Admission webhook failing',
    docs: 'An admission webhook that times out, cannot be reached or denies requests (`failed calling webhook "...": ... context deadline exceeded`, `no endpoints available`, `denied the request`) in events, workload conditions or HelmReleaseProxy errors, with the Service behind it and the state of its pods. Its failing pods explain it; it explains the releases and workloads it blocks.',
    events: { messages: [WEBHOOK_MESSAGE] },
  },
  check,
};
