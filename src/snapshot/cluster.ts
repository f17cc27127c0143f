import type { ClusterKey, CollectionError, InputKind, LogTail } from '../bundle/types.js';
import type { Event, OwnerReference } from '../schema/generated.js';
import { KINDS, type AnyObject, type KindName, type KindTypes } from './kinds.js';

export type ClusterRole = 'management' | 'workload' | 'unknown';

export interface ClusterIdentity {
  name: string;
  role: ClusterRole;
  /** The bundle path as the user gave it. */
  input: string;
  inputKind: InputKind;
  key: ClusterKey;
  kubeconfig?: string;
  context?: string;
  /** For a workload cluster: the CAPI Cluster object in the management cluster that it is. */
  capiCluster?: { namespace: string; name: string };
  /** How the name or the CAPI link was established, in words for the report. */
  linkedBy: string;
  serverVersion?: string;
  /** When the bundle was collected, when it says (manifest createdAt). */
  collectedAt?: string;
}

const NO_REASONS: ReadonlySet<string> = new Set();
const nsName = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;

/**
 * Everything known about one cluster, indexed for the rules: objects by kind/namespace/name,
 * pods by node, events by involved object, owners, Helm release membership and log tails.
 */
export class ClusterView {
  private readonly objects = new Map<KindName, Map<string, AnyObject>>();
  /** The namespaced objects by kind and namespace, in insertion order (what list(kind, namespace) returns). */
  private readonly byNamespace = new Map<KindName, Map<string, AnyObject[]>>();
  /** Pods by their outermost owner, built on first use (after the snapshot is complete). */
  private podsByTopOwner: Map<AnyObject, KindTypes['Pod'][]> | undefined;
  private readonly byUid = new Map<string, AnyObject>();
  private readonly podsByNode = new Map<string, KindTypes['Pod'][]>();
  private readonly eventsByObject = new Map<string, Event[]>();
  private readonly logTails = new Map<string, LogTail>();
  /** Values computed from the whole cluster once (indexes, per-object facts); forgotten when an object is added. */
  private readonly derivedValues = new Map<string, unknown>();
  /** Events no rule reads: their keys (to count each once) and their newest time. */
  private readonly summarizedEvents = new Set<string>();
  private latestSummarizedEvent: number | undefined;
  readonly collectionErrors: CollectionError[] = [];
  readonly resourcesSeen = new Set<string>();

  constructor(public identity: ClusterIdentity) {}

  get name(): string { return this.identity.name; }
  get role(): ClusterRole { return this.identity.role; }

  /** Adds an object; returns false when an object with the same identity is already there (JSON/YAML twins). */
  add<K extends KindName>(kind: K, obj: KindTypes[K]): boolean {
    let byName = this.objects.get(kind);
    if (!byName) this.objects.set(kind, (byName = new Map()));
    const key = kind === 'Event' ? eventKey(obj as Event) : nsName(obj.metadata.namespace, obj.metadata.name);
    if (byName.has(key)) return false;
    byName.set(key, obj);
    if (obj.metadata.namespace !== undefined) {
      let namespaces = this.byNamespace.get(kind);
      if (!namespaces) this.byNamespace.set(kind, (namespaces = new Map()));
      pushTo(namespaces, obj.metadata.namespace, obj);
    }
    this.podsByTopOwner = undefined;
    if (this.derivedValues.size > 0) this.derivedValues.clear();
    if (obj.metadata.uid) this.byUid.set(obj.metadata.uid, obj);
    if (kind === 'Pod') {
      const nodeName = (obj as KindTypes['Pod']).spec.nodeName;
      if (nodeName) pushTo(this.podsByNode, nodeName, obj as KindTypes['Pod']);
    } else if (kind === 'Event') {
      const event = obj as Event;
      const involved = event.involvedObject ?? event.regarding;
      if (involved?.kind && involved.name) {
        pushTo(this.eventsByObject, `${involved.kind}/${nsName(involved.namespace ?? event.metadata.namespace, involved.name)}`, event);
      }
    }
    return true;
  }

  /** An event counted but not kept (no rule reads it: event-interest.ts); false when it was already there. */
  addSummarizedEvent(key: string, time: string): boolean {
    if (this.summarizedEvents.has(key) || this.objects.get('Event')?.has(key)) return false;
    this.summarizedEvents.add(key);
    const t = Date.parse(time);
    if (!Number.isNaN(t) && (this.latestSummarizedEvent === undefined || t > this.latestSummarizedEvent)) this.latestSummarizedEvent = t;
    if (this.derivedValues.size > 0) this.derivedValues.clear();
    return true;
  }

  /** The newest time of the events counted but not kept, in ms (see latestEventTime). */
  get latestSummarizedEventTime(): number | undefined { return this.latestSummarizedEvent; }

  addLog(tail: LogTail): void {
    this.logTails.set(logKey(tail.namespace, tail.pod, tail.container, tail.previous), tail);
  }

  list<K extends KindName>(kind: K, namespace?: string): KindTypes[K][] {
    if (namespace === undefined) return [...(this.objects.get(kind)?.values() ?? [])] as KindTypes[K][];
    return [...(this.byNamespace.get(kind)?.get(namespace) ?? [])] as KindTypes[K][];
  }

  /**
   * A value computed from the cluster's objects, once: what every rule would otherwise recompute
   * over 150,000 pods (an index by component, the latest event time). Recomputed after an add.
   */
  derived<T>(key: string, compute: () => T): T {
    if (this.derivedValues.has(key)) return this.derivedValues.get(key) as T;
    const value = compute();
    this.derivedValues.set(key, value);
    return value;
  }

  /** The pods whose outermost owner (topOwner) is `owner`. */
  podsOwnedBy(owner: AnyObject): KindTypes['Pod'][] {
    if (!this.podsByTopOwner) {
      const index = new Map<AnyObject, KindTypes['Pod'][]>();
      for (const pod of this.list('Pod')) {
        const top = this.topOwner(pod);
        const list = index.get(top);
        if (list) list.push(pod);
        else index.set(top, [pod]);
      }
      this.podsByTopOwner = index;
    }
    return this.podsByTopOwner.get(owner) ?? [];
  }

  get<K extends KindName>(kind: K, namespace: string | undefined, name: string): KindTypes[K] | undefined {
    return this.objects.get(kind)?.get(nsName(namespace, name)) as KindTypes[K] | undefined;
  }

  /** Objects of every kind, the events only counted included. */
  get objectCount(): number {
    let n = this.summarizedEvents.size;
    for (const byName of this.objects.values()) n += byName.size;
    return n;
  }

  /** Objects of a kind in the cluster; for events, the ones only counted too. */
  count(kind: KindName): number {
    return (this.objects.get(kind)?.size ?? 0) + (kind === 'Event' ? this.summarizedEvents.size : 0);
  }

  podsOnNode(nodeName: string): KindTypes['Pod'][] {
    return this.podsByNode.get(nodeName) ?? [];
  }

  /** Events about one object, oldest first by their last occurrence. */
  eventsFor(kind: string, namespace: string | undefined, name: string): Event[] {
    const key = `${kind}/${nsName(namespace, name)}`;
    const sorted = this.derived('sortedEvents', () => new Map<string, Event[]>());
    let events = sorted.get(key);
    if (!events) {
      events = [...(this.eventsByObject.get(key) ?? [])].sort((a, b) => eventTime(a).localeCompare(eventTime(b)));
      sorted.set(key, events);
    }
    return [...events];
  }

  /** The reasons of the events about one object: a cheap "any FailedScheduling event?" before eventsFor. */
  eventReasonsFor(kind: string, namespace: string | undefined, name: string): ReadonlySet<string> {
    const index = this.derived('eventReasons', () => {
      const reasons = new Map<string, Set<string>>();
      for (const [key, events] of this.eventsByObject) reasons.set(key, new Set(events.map((e) => e.reason ?? '')));
      return reasons;
    });
    return index.get(`${kind}/${nsName(namespace, name)}`) ?? NO_REASONS;
  }

  log(namespace: string, pod: string, container: string, previous: boolean): LogTail | undefined {
    return this.logTails.get(logKey(namespace, pod, container, previous));
  }

  /** The controlling owner of an object, found in this cluster by uid or by kind and name in its namespace. */
  owner(obj: AnyObject): AnyObject | undefined {
    const refs = obj.metadata.ownerReferences ?? [];
    const ref: OwnerReference | undefined = refs.find((r) => r.controller) ?? refs[0];
    if (!ref) return undefined;
    const byUid = ref.uid ? this.byUid.get(ref.uid) : undefined;
    if (byUid) return byUid;
    if (!isKindName(ref.kind)) return undefined;
    return this.get(ref.kind, obj.metadata.namespace, ref.name);
  }

  /** The outermost owner (Pod → ReplicaSet → Deployment, Pod → Job, Pod → DaemonSet); the object itself when it has none. */
  topOwner(obj: AnyObject): AnyObject {
    let current = obj;
    for (let depth = 0; depth < 8; depth++) {
      const next = this.owner(current);
      if (!next || next === current) break;
      current = next;
    }
    return current;
  }
}

export function kindNameOf(obj: AnyObject): KindName {
  return (obj as { kind: KindName }).kind;
}

function isKindName(kind: string): kind is KindName {
  return Object.hasOwn(KINDS, kind);
}

function pushTo<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function logKey(namespace: string, pod: string, container: string, previous: boolean): string {
  return `${namespace}/${pod}/${container}${previous ? '#previous' : ''}`;
}

/** What identifies an event in a cluster: its uid, else its namespace and name. */
export function eventKey(event: Event): string {
  return event.metadata.uid ? `uid:${event.metadata.uid}` : nsName(event.metadata.namespace, event.metadata.name);
}

export function eventTime(event: Event): string {
  return event.lastTimestamp ?? event.series?.lastObservedTime ?? event.eventTime ?? event.deprecatedLastTimestamp ?? event.firstTimestamp ?? '';
}

export function eventCount(event: Event): number {
  return event.series?.count ?? event.count ?? event.deprecatedCount ?? 1;
}

export function eventMessage(event: Event): string {
  return event.message ?? event.note ?? '';
}
