/**
 * `meta.k8s.io/v1` Tables, what `kubectl get` asks for (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`):
 * NAME and AGE for every kind, the columns kubectl users know for the common ones (pods READY
 * STATUS RESTARTS...), and a CRD's printer columns for custom resources.
 */
import type { PrinterColumn, ResourceType } from './discovery.js';
import type { KubeObject } from './store.js';

type Cell = string | number | boolean | null;
type Obj = Record<string, unknown>;

interface Column {
  name: string;
  type: string;
  format?: string;
  priority?: number;
  cell: (obj: KubeObject, now: Date) => Cell;
}

/** kubectl's HumanDuration: `45s`, `5m10s`, `3h`, `12d`, `2y30d`. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const days = Math.floor(hours / 24) % 365;
    return days === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${days}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

const since = (timestamp: unknown, now: Date): string => {
  if (typeof timestamp !== 'string') return '<unknown>';
  const t = Date.parse(timestamp);
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now.getTime() - t);
};

const get = (obj: unknown, ...keys: (string | number)[]): unknown => {
  let value = obj;
  for (const key of keys) value = value !== null && typeof value === 'object' ? (value as Record<string | number, unknown>)[key] : undefined;
  return value;
};
const arr = (value: unknown): Obj[] => (Array.isArray(value) ? (value as Obj[]) : []);
const num = (value: unknown): number => (typeof value === 'number' ? value : 0);
const text = (value: unknown, none = '<none>'): string => (value === undefined || value === null || value === '' ? none : String(value));

const NAME: Column = { name: 'Name', type: 'string', format: 'name', cell: (o) => o.metadata.name };
const AGE: Column = { name: 'Age', type: 'string', cell: (o, now) => since(o.metadata['creationTimestamp'], now) };
const c = (name: string, cell: Column['cell'], priority = 0, type = 'string'): Column => ({ name, type, priority, cell });

/** The STATUS kubectl shows for a pod (its printPod, without the rarest cases). */
export function podStatus(pod: Obj): string {
  let reason = text(get(pod, 'status', 'reason'), '') || text(get(pod, 'status', 'phase'), 'Unknown');
  const initStatuses = arr(get(pod, 'status', 'initContainerStatuses'));
  const initCount = arr(get(pod, 'spec', 'initContainers')).length || initStatuses.length;
  let initializing = false;
  for (const [i, s] of initStatuses.entries()) {
    const terminated = get(s, 'state', 'terminated') as Obj | undefined;
    const waiting = get(s, 'state', 'waiting') as Obj | undefined;
    if (terminated && num(terminated['exitCode']) === 0) continue;
    initializing = true;
    if (terminated) {
      reason = terminated['reason'] ? `Init:${String(terminated['reason'])}` : terminated['signal'] ? `Init:Signal:${String(terminated['signal'])}` : `Init:ExitCode:${num(terminated['exitCode'])}`;
    } else if (waiting && waiting['reason'] && waiting['reason'] !== 'PodInitializing') {
      reason = `Init:${String(waiting['reason'])}`;
    } else {
      reason = `Init:${i}/${initCount}`;
    }
    break;
  }
  if (!initializing) {
    let hasRunning = false;
    const statuses = arr(get(pod, 'status', 'containerStatuses'));
    for (let i = statuses.length - 1; i >= 0; i--) {
      const s = statuses[i]!;
      const waiting = get(s, 'state', 'waiting') as Obj | undefined;
      const terminated = get(s, 'state', 'terminated') as Obj | undefined;
      if (waiting?.['reason']) reason = String(waiting['reason']);
      else if (terminated?.['reason']) reason = String(terminated['reason']);
      else if (terminated) reason = terminated['signal'] ? `Signal:${String(terminated['signal'])}` : `ExitCode:${num(terminated['exitCode'])}`;
      else if (get(s, 'state', 'running') && s['ready'] === true) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) reason = 'Running';
  }
  if (get(pod, 'metadata', 'deletionTimestamp')) reason = get(pod, 'status', 'reason') === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

function podRestarts(pod: Obj, now: Date): string {
  let restarts = 0;
  let last: number | undefined;
  for (const s of arr(get(pod, 'status', 'containerStatuses'))) {
    restarts += num(s['restartCount']);
    const finished = Date.parse(String(get(s, 'lastState', 'terminated', 'finishedAt') ?? ''));
    if (!Number.isNaN(finished) && (last === undefined || finished > last)) last = finished;
  }
  return restarts > 0 && last !== undefined ? `${restarts} (${humanDuration(now.getTime() - last)} ago)` : String(restarts);
}

function nodeStatus(node: Obj): string {
  const ready = arr(get(node, 'status', 'conditions')).find((cond) => cond['type'] === 'Ready');
  const state = ready?.['status'] === 'True' ? 'Ready' : ready?.['status'] === 'False' ? 'NotReady' : 'Unknown';
  return get(node, 'spec', 'unschedulable') === true ? `${state},SchedulingDisabled` : state;
}

function nodeRoles(node: KubeObject): string {
  const roles = Object.keys(node.metadata.labels ?? {})
    .filter((l) => l.startsWith('node-role.kubernetes.io/'))
    .map((l) => l.slice('node-role.kubernetes.io/'.length))
    .filter(Boolean);
  return roles.length ? roles.sort().join(',') : '<none>';
}

const nodeAddress = (node: Obj, type: string) => text(arr(get(node, 'status', 'addresses')).find((a) => a['type'] === type)?.['address']);

function servicePorts(svc: Obj): string {
  const ports = arr(get(svc, 'spec', 'ports')).map((p) => `${String(p['port'])}${p['nodePort'] ? `:${String(p['nodePort'])}` : ''}/${String(p['protocol'] ?? 'TCP')}`);
  return ports.length ? ports.join(',') : '<none>';
}

function jobStatus(job: Obj): string {
  const conds = arr(get(job, 'status', 'conditions'));
  const is = (type: string) => conds.some((cond) => cond['type'] === type && cond['status'] === 'True');
  if (is('Failed')) return 'Failed';
  if (is('Complete')) return 'Complete';
  if (is('Suspended')) return 'Suspended';
  if (is('FailureTarget')) return 'FailureTarget';
  if (is('SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

function eventObject(ev: Obj): string {
  const ref = (get(ev, 'involvedObject') ?? get(ev, 'regarding')) as Obj | undefined;
  return `${String(ref?.['kind'] ?? '').toLowerCase()}/${String(ref?.['name'] ?? '')}`;
}

function eventLastSeen(ev: Obj, now: Date): string {
  const t = get(ev, 'lastTimestamp') ?? get(ev, 'series', 'lastObservedTime') ?? get(ev, 'eventTime') ?? get(ev, 'firstTimestamp') ?? get(ev, 'metadata', 'creationTimestamp');
  return since(t, now);
}

const ACCESS_MODES: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };
const accessModes = (modes: unknown) => (Array.isArray(modes) ? modes.map((m) => ACCESS_MODES[String(m)] ?? String(m)).join(',') : '');

const dataCount = (obj: Obj) => Object.keys((get(obj, 'data') as Obj | undefined) ?? {}).length + Object.keys((get(obj, 'binaryData') as Obj | undefined) ?? {}).length;

/** Columns of Kubernetes' own kinds, by `group/Kind`, as the API server prints them. */
const BUILTIN_COLUMNS: Record<string, Column[]> = {
  '/Pod': [
    NAME,
    c('Ready', (o) => {
      const statuses = arr(get(o, 'status', 'containerStatuses'));
      return `${statuses.filter((s) => s['ready'] === true).length}/${arr(get(o, 'spec', 'containers')).length || statuses.length}`;
    }),
    c('Status', (o) => podStatus(o)),
    c('Restarts', (o, now) => podRestarts(o, now)),
    AGE,
    c('IP', (o) => text(get(o, 'status', 'podIP')), 1),
    c('Node', (o) => text(get(o, 'spec', 'nodeName')), 1),
    c('Nominated Node', (o) => text(get(o, 'status', 'nominatedNodeName')), 1),
  ],
  '/Node': [
    NAME,
    c('Status', (o) => nodeStatus(o)),
    c('Roles', (o) => nodeRoles(o)),
    AGE,
    c('Version', (o) => text(get(o, 'status', 'nodeInfo', 'kubeletVersion'), '')),
    c('Internal-IP', (o) => nodeAddress(o, 'InternalIP'), 1),
    c('External-IP', (o) => nodeAddress(o, 'ExternalIP'), 1),
    c('OS-Image', (o) => text(get(o, 'status', 'nodeInfo', 'osImage'), '<unknown>'), 1),
    c('Kernel-Version', (o) => text(get(o, 'status', 'nodeInfo', 'kernelVersion'), '<unknown>'), 1),
    c('Container-Runtime', (o) => text(get(o, 'status', 'nodeInfo', 'containerRuntimeVersion'), '<unknown>'), 1),
  ],
  '/Namespace': [NAME, c('Status', (o) => text(get(o, 'status', 'phase'), '')), AGE],
  '/Service': [
    NAME,
    c('Type', (o) => text(get(o, 'spec', 'type'), 'ClusterIP')),
    c('Cluster-IP', (o) => text(get(o, 'spec', 'clusterIP'))),
    c('External-IP', (o) => {
      const ingress = arr(get(o, 'status', 'loadBalancer', 'ingress')).map((i) => i['ip'] ?? i['hostname']).filter(Boolean);
      const external = (get(o, 'spec', 'externalIPs') as string[] | undefined) ?? [];
      const all = [...ingress, ...external];
      return all.length ? all.join(',') : get(o, 'spec', 'type') === 'LoadBalancer' ? '<pending>' : '<none>';
    }),
    c('Port(s)', (o) => servicePorts(o)),
    AGE,
    c('Selector', (o) => {
      const sel = (get(o, 'spec', 'selector') as Record<string, string> | undefined) ?? {};
      const pairs = Object.entries(sel).map(([k, v]) => `${k}=${v}`);
      return pairs.length ? pairs.sort().join(',') : '<none>';
    }, 1),
  ],
  '/ConfigMap': [NAME, c('Data', (o) => dataCount(o), 0, 'integer'), AGE],
  '/Secret': [NAME, c('Type', (o) => text(get(o, 'type'), '')), c('Data', (o) => dataCount(o), 0, 'integer'), AGE],
  '/Event': [
    c('Last Seen', (o, now) => eventLastSeen(o, now)),
    c('Type', (o) => text(get(o, 'type'), '')),
    c('Reason', (o) => text(get(o, 'reason'), '')),
    c('Object', (o) => eventObject(o)),
    c('Source', (o) => text(get(o, 'source', 'component') ?? get(o, 'reportingComponent'), ''), 1),
    c('Message', (o) => text(get(o, 'message'), '')),
    c('Count', (o) => num(get(o, 'count')) || 1, 1, 'integer'),
    { ...NAME, priority: 1 },
  ],
  '/PersistentVolumeClaim': [
    NAME,
    c('Status', (o) => text(get(o, 'status', 'phase'), '')),
    c('Volume', (o) => text(get(o, 'spec', 'volumeName'), '')),
    c('Capacity', (o) => text(get(o, 'status', 'capacity', 'storage'), '')),
    c('Access Modes', (o) => accessModes(get(o, 'status', 'accessModes'))),
    c('StorageClass', (o) => text(get(o, 'spec', 'storageClassName'))),
    AGE,
  ],
  '/PersistentVolume': [
    NAME,
    c('Capacity', (o) => text(get(o, 'spec', 'capacity', 'storage'), '')),
    c('Access Modes', (o) => accessModes(get(o, 'spec', 'accessModes'))),
    c('Reclaim Policy', (o) => text(get(o, 'spec', 'persistentVolumeReclaimPolicy'), '')),
    c('Status', (o) => text(get(o, 'status', 'phase'), '')),
    c('Claim', (o) => (get(o, 'spec', 'claimRef', 'name') ? `${String(get(o, 'spec', 'claimRef', 'namespace'))}/${String(get(o, 'spec', 'claimRef', 'name'))}` : '')),
    c('StorageClass', (o) => text(get(o, 'spec', 'storageClassName'), '')),
    AGE,
  ],
  'storage.k8s.io/StorageClass': [
    NAME,
    c('Provisioner', (o) => text(get(o, 'provisioner'), '')),
    c('ReclaimPolicy', (o) => text(get(o, 'reclaimPolicy'), 'Delete')),
    c('VolumeBindingMode', (o) => text(get(o, 'volumeBindingMode'), 'Immediate')),
    c('AllowVolumeExpansion', (o) => get(o, 'allowVolumeExpansion') === true),
    AGE,
  ],
  'apps/Deployment': [
    NAME,
    c('Ready', (o) => `${num(get(o, 'status', 'readyReplicas'))}/${num(get(o, 'spec', 'replicas') ?? 1)}`),
    c('Up-to-date', (o) => num(get(o, 'status', 'updatedReplicas')), 0, 'integer'),
    c('Available', (o) => num(get(o, 'status', 'availableReplicas')), 0, 'integer'),
    AGE,
  ],
  'apps/DaemonSet': [
    NAME,
    c('Desired', (o) => num(get(o, 'status', 'desiredNumberScheduled')), 0, 'integer'),
    c('Current', (o) => num(get(o, 'status', 'currentNumberScheduled')), 0, 'integer'),
    c('Ready', (o) => num(get(o, 'status', 'numberReady')), 0, 'integer'),
    c('Up-to-date', (o) => num(get(o, 'status', 'updatedNumberScheduled')), 0, 'integer'),
    c('Available', (o) => num(get(o, 'status', 'numberAvailable')), 0, 'integer'),
    c('Node Selector', (o) => {
      const sel = (get(o, 'spec', 'template', 'spec', 'nodeSelector') as Record<string, string> | undefined) ?? {};
      const pairs = Object.entries(sel).map(([k, v]) => `${k}=${v}`);
      return pairs.length ? pairs.join(',') : '<none>';
    }),
    AGE,
  ],
  'apps/StatefulSet': [NAME, c('Ready', (o) => `${num(get(o, 'status', 'readyReplicas'))}/${num(get(o, 'spec', 'replicas') ?? 1)}`), AGE],
  'apps/ReplicaSet': [
    NAME,
    c('Desired', (o) => num(get(o, 'spec', 'replicas') ?? 1), 0, 'integer'),
    c('Current', (o) => num(get(o, 'status', 'replicas')), 0, 'integer'),
    c('Ready', (o) => num(get(o, 'status', 'readyReplicas')), 0, 'integer'),
    AGE,
  ],
  'batch/Job': [
    NAME,
    c('Status', (o) => jobStatus(o)),
    c('Completions', (o) => `${num(get(o, 'status', 'succeeded'))}/${num(get(o, 'spec', 'completions') ?? 1)}`),
    AGE,
  ],
};

// ---------------------------------------------------------------------------------------------
// JSONPath for CRD printer columns: `.a.b`, `['a.b']`, `[0]`, `[*]`, `[?(@.type=='Ready')]`.

/** Evaluates the JSONPath subset CRD printer columns use; returns every match. */
export function jsonPath(obj: unknown, expr: string): unknown[] {
  let current: unknown[] = [obj];
  let rest = expr.trim().replace(/^\{(.*)\}$/s, '$1').replace(/^\$/, '');
  while (rest.length > 0) {
    let m: RegExpExecArray | null;
    if ((m = /^\.([A-Za-z0-9_-]+)/.exec(rest))) {
      const key = m[1]!;
      current = current.flatMap((v) => (v !== null && typeof v === 'object' && !Array.isArray(v) && key in v ? [(v as Obj)[key]] : []));
    } else if ((m = /^\[(?:'([^']*)'|"([^"]*)")\]/.exec(rest))) {
      const key = m[1] ?? m[2]!;
      current = current.flatMap((v) => (v !== null && typeof v === 'object' && key in v ? [(v as Obj)[key]] : []));
    } else if ((m = /^\[(\d+)\]/.exec(rest))) {
      const i = Number(m[1]);
      current = current.flatMap((v) => (Array.isArray(v) && i < v.length ? [v[i]] : []));
    } else if ((m = /^\[\*\]/.exec(rest))) {
      current = current.flatMap((v) => (Array.isArray(v) ? v : v !== null && typeof v === 'object' ? Object.values(v) : []));
    } else if ((m = /^\[\?\(@\.([A-Za-z0-9_.-]+)\s*(==|!=)\s*(?:'([^']*)'|"([^"]*)"|([^)\s]+))\)\]/.exec(rest))) {
      const [, field, op, a, b, bare] = m;
      const want = a ?? b ?? bare!;
      current = current.flatMap((v) =>
        (Array.isArray(v) ? v : []).filter((item) => {
          const got = jsonPath(item, `.${field!}`)[0];
          return (got !== undefined && String(got) === want) === (op === '==');
        }),
      );
    } else if ((m = /^\.\.?/.exec(rest)) && rest.length === m[0].length) {
      break;
    } else {
      return [];
    }
    rest = rest.slice(m[0].length);
  }
  return current;
}

function printerColumn(def: PrinterColumn): Column {
  return {
    name: def.name,
    type: def.type === 'date' ? 'date' : def.type,
    priority: def.priority ?? 0,
    cell: (obj, now) => {
      const values = jsonPath(obj, def.jsonPath);
      if (values.length === 0 || values[0] === undefined || values[0] === null) return null;
      if (def.type === 'date') return since(values[0], now);
      const first = values[0];
      if (values.length > 1) return values.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(',');
      if (typeof first === 'object') return JSON.stringify(first);
      if (def.type === 'integer' || def.type === 'number') return typeof first === 'number' ? first : String(first);
      if (def.type === 'boolean') return typeof first === 'boolean' ? first : String(first);
      return String(first);
    },
  };
}

function columnsFor(type: ResourceType): Column[] {
  const builtin = BUILTIN_COLUMNS[`${type.group}/${type.kind}`] ?? (type.group === 'events.k8s.io' ? BUILTIN_COLUMNS['/Event'] : undefined);
  if (builtin) return builtin;
  if (type.columns?.length) return [NAME, ...type.columns.map(printerColumn)];
  return [NAME, AGE];
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** A Table of objects of one type; `tableVersion` is what the client asked for (v1, or v1beta1 for old clients). */
export function toTable(type: ResourceType, objects: KubeObject[], includeObject: IncludeObject, now: Date, tableVersion: 'v1' | 'v1beta1' = 'v1'): object {
  const columns = columnsFor(type);
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${tableVersion}`,
    metadata: { resourceVersion: '1' },
    columnDefinitions: columns.map((col) => ({
      name: col.name,
      type: col.type,
      format: col.format ?? '',
      description: col.name === 'Name' ? 'Name must be unique within a namespace.' : '',
      priority: col.priority ?? 0,
    })),
    rows: objects.map((obj) => ({
      cells: columns.map((col) => col.cell(obj, now)),
      ...(includeObject === 'None'
        ? {}
        : { object: includeObject === 'Object' ? obj : { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${tableVersion}`, metadata: obj.metadata } }),
    })),
  };
}
