/**
 * Fault injection for the collector's tests: rules that delay requests, answer them with an error
 * status or drop the connection, optionally only the first N times they match.
 */

export interface FaultRule {
  /** Only requests to this cluster (its context name); every cluster when absent. */
  cluster?: string;
  /**
   * A JavaScript regular expression tested against the request's path inside the cluster
   * (`/api/v1/namespaces/kube-system/pods`), that path with its query string
   * (`...pods/x/log?container=c&previous=true`), and the full path with the `/clusters/<name>` prefix.
   */
  pathRegex: string;
  /** Answer with this HTTP status and the API server's Status body for it (403 Forbidden, 500 InternalError...). */
  status?: number;
  /** Wait this long before going on (with the next rule, or the normal answer). */
  delayMs?: number;
  /** Apply the rule only the first N times it matches, then let requests through. */
  times?: number;
  /** Close the connection without answering. */
  dropConnection?: boolean;
}

export type FaultPlan = FaultRule[];

export class FaultPlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultPlanError';
  }
}

const isCount = (value: unknown, min: number) => typeof value === 'number' && Number.isInteger(value) && value >= min;

/** Checks a fault plan (from the API or from JSON); throws FaultPlanError naming the bad rule. */
export function validateFaultPlan(plan: unknown): FaultPlan {
  if (!Array.isArray(plan)) throw new FaultPlanError('a fault plan is a JSON array of rules');
  const known = new Set(['cluster', 'pathRegex', 'status', 'delayMs', 'times', 'dropConnection']);
  return plan.map((rule: unknown, i) => {
    const where = `fault rule ${i}`;
    if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) throw new FaultPlanError(`${where}: not an object`);
    const r = rule as Record<string, unknown>;
    for (const key of Object.keys(r)) if (!known.has(key)) throw new FaultPlanError(`${where}: unknown field "${key}"`);
    if (typeof r['pathRegex'] !== 'string') throw new FaultPlanError(`${where}: pathRegex must be a string`);
    try {
      new RegExp(r['pathRegex']);
    } catch (error) {
      throw new FaultPlanError(`${where}: pathRegex is not a valid regular expression (${(error as Error).message})`);
    }
    if (r['cluster'] !== undefined && typeof r['cluster'] !== 'string') throw new FaultPlanError(`${where}: cluster must be a string`);
    if (r['status'] !== undefined && !(isCount(r['status'], 400) && (r['status'] as number) <= 599)) {
      throw new FaultPlanError(`${where}: status must be an HTTP error status (400-599)`);
    }
    if (r['delayMs'] !== undefined && !isCount(r['delayMs'], 0)) throw new FaultPlanError(`${where}: delayMs must be a whole number of milliseconds`);
    if (r['times'] !== undefined && !isCount(r['times'], 1)) throw new FaultPlanError(`${where}: times must be a positive whole number`);
    if (r['dropConnection'] !== undefined && typeof r['dropConnection'] !== 'boolean') throw new FaultPlanError(`${where}: dropConnection must be true or false`);
    if (r['status'] === undefined && r['delayMs'] === undefined && r['dropConnection'] !== true) {
      throw new FaultPlanError(`${where}: give status, delayMs or dropConnection (the rule does nothing otherwise)`);
    }
    return r as unknown as FaultRule;
  });
}

/** Reads a fault plan from JSON text (the `HRP_DOCTOR_SERVE_FAULTS` environment variable). */
export function parseFaultPlan(text: string): FaultPlan {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new FaultPlanError(`fault plan is not valid JSON (${(error as Error).message})`);
  }
  return validateFaultPlan(value);
}

/** What to do with one request: wait `delayMs`, then drop it, answer `status`, or serve it normally. */
export interface FaultDecision {
  delayMs: number;
  drop: boolean;
  status?: number;
}

/** Applies a plan in order. Rules with `times` count their matches across all requests. */
export class FaultInjector {
  private readonly rules: { rule: FaultRule; regex: RegExp; remaining: number }[];

  constructor(plan: FaultPlan = []) {
    this.rules = validateFaultPlan(plan).map((rule) => ({ rule, regex: new RegExp(rule.pathRegex), remaining: rule.times ?? Infinity }));
  }

  /** Decides for a request to `cluster` at `path` (inside the cluster's prefix) with `search` (`?a=b` or ''). */
  decide(cluster: string, path: string, search: string): FaultDecision {
    const decision: FaultDecision = { delayMs: 0, drop: false };
    const candidates = [path, path + search, `/clusters/${cluster}${path}${search}`];
    for (const entry of this.rules) {
      const { rule, regex } = entry;
      if (rule.cluster !== undefined && rule.cluster !== cluster) continue;
      if (entry.remaining <= 0 || !candidates.some((c) => regex.test(c))) continue;
      entry.remaining--;
      decision.delayMs += rule.delayMs ?? 0;
      if (rule.dropConnection) {
        decision.drop = true;
        break;
      }
      if (rule.status !== undefined) {
        decision.status = rule.status;
        break;
      }
    }
    return decision;
  }
}
