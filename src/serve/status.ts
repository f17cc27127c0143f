/**
 * Errors as the API server writes them: a `metav1.Status` with the reason and message shapes
 * kubectl and client-go know (`pods "x" not found`, `pods is forbidden: User ... cannot list ...`).
 */

/** What a request asks for, in the API server's terms (k8s.io/apiserver RequestInfo). */
export interface RequestInfo {
  isResource: boolean;
  /** The path inside the cluster's prefix, e.g. `/api/v1/namespaces/kube-system/pods`. */
  path: string;
  verb: string;
  group: string;
  version: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string; retryAfterSeconds?: number; causes?: { message: string }[] };
  code: number;
}

export function status(code: number, reason: string, message: string, details?: StatusBody['details']): StatusBody {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

/** `pods`, `helmreleaseproxies.addons.cluster.x-k8s.io`: how the API server names a resource in messages. */
const qualified = (resource: string, group: string) => (group ? `${resource}.${group}` : resource);

export function notFound(resource: string, group: string, name: string): StatusBody {
  return status(404, 'NotFound', `${qualified(resource, group)} "${name}" not found`, { name, group, kind: resource });
}

export const NO_SUCH_RESOURCE = (): StatusBody => status(404, 'NotFound', 'the server could not find the requested resource', {});

export function methodNotAllowed(): StatusBody {
  return status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource (hrp-doctor serve is read-only)', {});
}

export function badRequest(message: string): StatusBody {
  return status(400, 'BadRequest', message);
}

/** The API server's Forbidden, for the anonymous user this server pretends requests come from. */
export function forbidden(info: RequestInfo, user = 'system:anonymous'): StatusBody {
  if (!info.isResource) {
    return status(403, 'Forbidden', `forbidden: User "${user}" cannot ${info.verb} path "${info.path}"`, {});
  }
  const resource = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
  const subject = info.name ? `${qualified(info.resource, info.group)} "${info.name}"` : qualified(info.resource, info.group);
  const scope = info.namespace ? `in the namespace "${info.namespace}"` : 'at the cluster scope';
  return status(
    403,
    'Forbidden',
    `${subject} is forbidden: User "${user}" cannot ${info.verb} resource "${resource}" in API group "${info.group}" ${scope}`,
    { ...(info.name ? { name: info.name } : {}), group: info.group, kind: info.resource },
  );
}

/** The Status an injected fault answers with, shaped like the API server's for that code. */
export function injectedStatus(code: number, info: RequestInfo): StatusBody {
  const details = info.isResource ? { ...(info.name ? { name: info.name } : {}), group: info.group, kind: info.resource } : {};
  switch (code) {
    case 400:
      return status(400, 'BadRequest', 'injected fault: bad request (hrp-doctor serve)');
    case 401:
      return status(401, 'Unauthorized', 'Unauthorized');
    case 403:
      return forbidden(info);
    case 404:
      return info.isResource && info.name ? notFound(info.resource, info.group, info.name) : NO_SUCH_RESOURCE();
    case 405:
      return methodNotAllowed();
    case 409:
      return status(409, 'Conflict', 'injected fault: conflict (hrp-doctor serve)', details);
    case 410:
      return status(410, 'Expired', 'injected fault: the resourceVersion is too old (hrp-doctor serve)', details);
    case 429:
      return status(429, 'TooManyRequests', 'the server has received too many requests and has asked us to try again later', { ...details, retryAfterSeconds: 1 });
    case 500:
      return status(500, 'InternalError', 'Internal error occurred: injected fault (hrp-doctor serve)', { ...details, causes: [{ message: 'injected fault (hrp-doctor serve)' }] });
    case 503:
      return status(503, 'ServiceUnavailable', 'the server is currently unable to handle the request', details);
    case 504:
      return status(504, 'Timeout', 'the server was unable to return a response in the time allotted, but may still be processing the request', details);
    default:
      return status(code, '', `injected fault: HTTP ${code} (hrp-doctor serve)`, details);
  }
}
