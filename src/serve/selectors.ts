/**
 * Label and field selectors, as the API server reads `labelSelector` and `fieldSelector`.
 * Parse errors and unsupported fields throw SelectorError (the server answers 400 BadRequest).
 */

export class SelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectorError';
  }
}

export type LabelOperator = '=' | '!=' | 'in' | 'notin' | 'exists' | '!exists';

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Splits on commas that are not inside parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function checkKey(key: string, whole: string): string {
  if (!LABEL_KEY.test(key)) throw new SelectorError(`unable to parse requirement: invalid label key "${key}" in "${whole}"`);
  return key;
}

function checkValue(value: string, whole: string): string {
  if (value.length > 63 || !LABEL_VALUE.test(value)) {
    throw new SelectorError(`unable to parse requirement: invalid label value "${value}" in "${whole}"`);
  }
  return value;
}

/** `a=b,c!=d,e in (x,y),f notin (z),g,!h` → requirements (all must hold). An empty selector matches everything. */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  if (selector.trim() === '') return [];
  return splitTopLevel(selector).map((raw) => {
    const part = raw.trim();
    if (part === '') throw new SelectorError(`unable to parse requirement: empty requirement in "${selector}"`);
    const setMatch = /^(\S+?)\s+(in|notin)\s*\(([^()]*)\)$/.exec(part);
    if (setMatch) {
      const values = setMatch[3]!.split(',').map((v) => checkValue(v.trim(), selector));
      return { key: checkKey(setMatch[1]!, selector), operator: setMatch[2] as 'in' | 'notin', values };
    }
    const cmp = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (cmp) {
      const operator = cmp[2] === '!=' ? '!=' : '=';
      return { key: checkKey(cmp[1]!, selector), operator, values: [checkValue(cmp[3]!.trim(), selector)] };
    }
    if (part.startsWith('!')) return { key: checkKey(part.slice(1).trim(), selector), operator: '!exists', values: [] };
    if (/[\s()<>]/.test(part)) throw new SelectorError(`unable to parse requirement: unsupported requirement "${part}"`);
    return { key: checkKey(part, selector), operator: 'exists', values: [] };
  });
}

export function matchesLabels(requirements: LabelRequirement[], labels: Record<string, unknown> | undefined): boolean {
  return requirements.every(({ key, operator, values }) => {
    const value = labels?.[key];
    const has = typeof value === 'string';
    switch (operator) {
      case '=':
        return has && value === values[0];
      case '!=':
        return !has || value !== values[0];
      case 'in':
        return has && values.includes(value);
      case 'notin':
        return !has || !values.includes(value);
      case 'exists':
        return has;
      case '!exists':
        return !has;
    }
  });
}

export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

/** Splits a field selector on unescaped commas and reads `field=value`, `field==value`, `field!=value` (`\,`, `\=`, `\\` escapes). */
export function parseFieldSelector(selector: string): FieldRequirement[] {
  if (selector.trim() === '') return [];
  const terms: string[] = [];
  let current = '';
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i]!;
    if (c === '\\' && i + 1 < selector.length) {
      current += c + selector[++i];
    } else if (c === ',') {
      terms.push(current);
      current = '';
    } else current += c;
  }
  terms.push(current);
  return terms.map((term) => {
    const m = /^([^=!]+?)\s*(==|=|!=)(.*)$/s.exec(term.trim());
    if (!m) throw new SelectorError(`invalid selector: '${selector}'; can't understand '${term}'`);
    const value = m[3]!.replace(/\\(.)/g, '$1');
    return { field: m[1]!.trim(), operator: m[2] === '!=' ? '!=' : '=', value };
  });
}

type Getter = (obj: Record<string, unknown>) => unknown;

const path = (...keys: string[]): Getter => (obj) => {
  let value: unknown = obj;
  for (const key of keys) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value;
};

const COMMON: Record<string, Getter> = {
  'metadata.name': path('metadata', 'name'),
  'metadata.namespace': path('metadata', 'namespace'),
};

const involved = (field: string, ...rest: string[]): Record<string, Getter> =>
  Object.fromEntries(['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'].map((k) => [`${field}.${k}`, path(...rest, k)]));

/** The fields the API server can select on, by `group/plural`; every resource has metadata.name and metadata.namespace. */
const FIELDS: Record<string, Record<string, Getter>> = {
  '/pods': {
    'spec.nodeName': path('spec', 'nodeName'),
    'spec.restartPolicy': path('spec', 'restartPolicy'),
    'spec.schedulerName': path('spec', 'schedulerName'),
    'spec.serviceAccountName': path('spec', 'serviceAccountName'),
    'spec.hostNetwork': (o) => path('spec', 'hostNetwork')(o) === true,
    'status.phase': path('status', 'phase'),
    'status.podIP': path('status', 'podIP'),
    'status.nominatedNodeName': path('status', 'nominatedNodeName'),
  },
  '/events': {
    ...involved('involvedObject', 'involvedObject'),
    reason: path('reason'),
    reportingComponent: path('reportingComponent'),
    source: path('source', 'component'),
    type: path('type'),
  },
  'events.k8s.io/events': {
    ...involved('regarding', 'regarding'),
    reason: path('reason'),
    reportingController: path('reportingController'),
    type: path('type'),
  },
  '/nodes': { 'spec.unschedulable': (o) => path('spec', 'unschedulable')(o) === true },
  '/namespaces': { 'status.phase': path('status', 'phase') },
  '/secrets': { type: path('type') },
  '/services': { 'spec.clusterIP': path('spec', 'clusterIP'), 'spec.type': path('spec', 'type') },
  '/replicationcontrollers': { 'status.replicas': (o) => path('status', 'replicas')(o) ?? 0 },
  'apps/replicasets': { 'status.replicas': (o) => path('status', 'replicas')(o) ?? 0 },
  'batch/jobs': { 'status.successful': (o) => path('status', 'succeeded')(o) ?? 0 },
};

const asFieldString = (value: unknown): string =>
  value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);

/**
 * Checks a field selector against what the resource supports (unknown fields throw, like the API
 * server's `field label not supported: x`) and returns a predicate.
 */
export function fieldMatcher(group: string, plural: string, requirements: FieldRequirement[]): (obj: Record<string, unknown>) => boolean {
  const fields = { ...COMMON, ...FIELDS[`${group}/${plural}`] };
  const checks = requirements.map(({ field, operator, value }) => {
    const get = fields[field];
    if (!get) throw new SelectorError(`field label not supported: ${field}`);
    return (obj: Record<string, unknown>) => (asFieldString(get(obj)) === value) === (operator === '=');
  });
  return (obj) => checks.every((check) => check(obj));
}
