/**
 * What the snapshot keeps of one raw object, decided without the snapshot: its kind, the pruned
 * copy (only the fields the rules declare) or the schema issues that leave it out. A pure
 * function of the object, so the reader may run it in a worker thread next to the parsing.
 */
import type { SchemaIssue } from '../schema/validate.js';
import { validatorFor, type Validator } from '../schema/validate.js';
import { prunerFor, type Pruner } from '../schema/prune.js';
import { eventKey, eventTime } from './cluster.js';
import type { Event } from '../schema/generated.js';
import { KINDS, kindOf, type AnyObject, type KindName } from './kinds.js';

export type PreparedObject =
  | { kind: KindName; object: AnyObject }
  /** `label` names the object in the problem ("Pod web-1", or the kind alone when it has no name). */
  | { kind: KindName; label: string; issues: SchemaIssue[] }
  /** A valid event no rule reads (event-interest.ts): counted, not kept. */
  | { kind: 'Event'; summarized: { key: string; time: string } }
  /** Not a kind the analysis reads. */
  | null;

const validators = new Map<KindName, Validator>();
const pruners = new Map<KindName, Pruner>();

/** `keepEvent`: which valid events are kept whole (the others are summarized); absent: all. */
export function prepareObject(raw: unknown, keepEvent?: (event: Event) => boolean): PreparedObject {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const kind = kindOf(raw as { apiVersion?: unknown; kind?: unknown });
  if (!kind) return null;
  let validate = validators.get(kind);
  if (!validate) validators.set(kind, (validate = validatorFor(KINDS[kind].schema)));
  let prune = pruners.get(kind);
  if (!prune) pruners.set(kind, (prune = prunerFor(KINDS[kind].schema)));
  // A pruned copy (fast V8 objects, only the declared fields), then validated: nothing is deleted in place.
  const pruned = prune(raw);
  const issues = validate(pruned);
  if (issues.length === 0) {
    if (kind === 'Event' && keepEvent && !keepEvent(pruned as Event)) {
      return { kind, summarized: { key: eventKey(pruned as Event), time: eventTime(pruned as Event) } };
    }
    return { kind, object: pruned as AnyObject };
  }
  const name = (pruned as { metadata?: { name?: unknown } }).metadata?.name;
  return { kind, label: typeof name === 'string' && name !== '' ? `${kind} ${name}` : kind, issues };
}
