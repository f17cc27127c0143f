import type { Condition } from '../schema/generated.js';

interface WithConditions {
  status?: { conditions?: Condition[] | null; v1beta2?: { conditions?: Condition[] | null } } | null;
}

/**
 * A condition by type, whichever style the object uses: CAPI v1beta1 conditions in
 * status.conditions (with severity), metav1.Conditions in status.conditions (CAAPH ≥ v0.5), or
 * metav1.Conditions under status.v1beta2 during CAPI's transition.
 */
export function condition(obj: WithConditions, type: string): Condition | undefined {
  return obj.status?.conditions?.find((c) => c.type === type) ?? obj.status?.v1beta2?.conditions?.find((c) => c.type === type);
}

export function isTrue(c: Condition | undefined): boolean {
  return c?.status === 'True';
}

/** Every condition of the object, both styles. */
export function allConditions(obj: WithConditions): Condition[] {
  return [...(obj.status?.conditions ?? []), ...(obj.status?.v1beta2?.conditions ?? [])];
}

/**
 * Helm errors arrive in two shapes: one line, or Helm ≥ 3.12's multi-error form
 * ("1 error occurred:\n\t* timed out waiting for the condition"). Aggregated CAPI messages add
 * "* HelmReleaseReady: " bullets. This gives one readable line for either.
 */
export function oneLine(message: string): string {
  return message
    .replace(/\b\d+ errors? occurred:\s*\*\s*/g, '')
    .replace(/\n\s*\*\s*/g, '; ')
    .replace(/^\*\s*[A-Za-z]+:\s*/, '')
    .replace(/\s+/g, ' ')
    .trim();
}
