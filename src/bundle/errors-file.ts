/**
 * `*-errors.json` files: what the collector could not collect. Accepted shapes: an array of
 * messages, an object `{"<namespace>": "<message>"}` (key '' = all namespaces), a single string.
 * troubleshoot's `custom-resources/custom-resources-errors.json` is keyed by CRD name, or
 * `<crd name>/<namespace>`.
 */

export interface ErrorEntry {
  resource: string;
  namespace?: string;
  message: string;
}

const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** The entries of a parsed errors file, or a string saying why its shape is not understood. */
export function errorEntries(
  value: unknown,
  resource: string,
  namespace: string | undefined,
  keys: 'namespace' | 'crd',
): ErrorEntry[] | string {
  const entry = (res: string, ns: string | undefined, message: string): ErrorEntry =>
    ns === undefined || ns === '' ? { resource: res, message } : { resource: res, namespace: ns, message };

  if (value === null) return [];
  if (typeof value === 'string') return value.trim() === '' ? [] : [entry(resource, namespace, value)];
  if (Array.isArray(value)) {
    return value.filter((m) => m !== null && m !== '').map((m) => entry(resource, namespace, text(m)));
  }
  if (typeof value === 'object') {
    const out: ErrorEntry[] = [];
    for (const [key, raw] of Object.entries(value as Record<string, unknown>)) {
      if (raw === null || raw === '') continue;
      const message = text(raw);
      if (keys === 'crd') {
        const slash = key.indexOf('/');
        const crd = slash < 0 ? key : key.slice(0, slash);
        if (crd.includes('.')) out.push(entry(crd, slash < 0 ? undefined : key.slice(slash + 1), message));
        else out.push(entry(resource, undefined, key === '' ? message : `${key}: ${message}`));
        continue;
      }
      // Namespaces; troubleshoot's image-pull-secrets also uses `<namespace>/<secret>[/<registry>]`.
      const slash = key.indexOf('/');
      if (slash < 0) out.push(entry(resource, key === '' ? namespace : key, message));
      else out.push(entry(resource, key.slice(0, slash), `${key.slice(slash + 1)}: ${message}`));
    }
    return out;
  }
  return `not an array, object or string of error messages (${typeof value})`;
}
