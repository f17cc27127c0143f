/**
 * Which events the snapshot keeps. A big cluster's events are mostly Normal lifecycle events
 * (Scheduled, Pulled, Created, Started: 80 % of 300,000 at 5,000 nodes) that no rule reads; keeping
 * them would cost a third of the memory and of the time. Warning events are always kept; a Normal
 * event is kept when a rule declares it reads it (RuleMeta.events). The others are validated like
 * every object, then only counted, with their time (the latest event time tells when the bundle was
 * collected).
 */
import type { Event } from '../schema/generated.js';
import { eventMessage } from './cluster.js';

/** The Normal events a rule reads, besides the Warning events every rule may read. */
export interface EventInterest {
  /** Events about objects of these kinds (`Node`, `PersistentVolumeClaim`). */
  involvedKinds?: string[];
  reasons?: string[];
  /** Events whose message matches. */
  messages?: RegExp[];
}

/** The union of the rules' interests; passed to the parsing worker as it is (plain data). */
export interface EventPolicy {
  involvedKinds: string[];
  reasons: string[];
  messages: { source: string; flags: string }[];
}

export function eventPolicyFor(interests: (EventInterest | undefined)[]): EventPolicy {
  const policy: EventPolicy = { involvedKinds: [], reasons: [], messages: [] };
  for (const interest of interests) {
    if (!interest) continue;
    policy.involvedKinds.push(...(interest.involvedKinds ?? []));
    policy.reasons.push(...(interest.reasons ?? []));
    policy.messages.push(...(interest.messages ?? []).map((re) => ({ source: re.source, flags: re.flags.replace(/[gy]/g, '') })));
  }
  return policy;
}

/** A compiled policy: whether to keep one (valid, pruned) event. */
export function eventFilter(policy: EventPolicy): (event: Event) => boolean {
  const kinds = new Set(policy.involvedKinds);
  const reasons = new Set(policy.reasons);
  const messages = policy.messages.map((m) => new RegExp(m.source, m.flags));
  return (event) => {
    if (event.type !== 'Normal') return true;
    if (reasons.has(event.reason ?? '')) return true;
    if (kinds.has((event.involvedObject ?? event.regarding)?.kind ?? '')) return true;
    const message = eventMessage(event);
    return messages.some((re) => re.test(message));
  };
}
