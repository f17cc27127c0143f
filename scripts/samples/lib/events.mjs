// Event helpers for the usual sources: kubelet (old-style, counted), kube-scheduler
// (events.k8s.io series), and workload controllers.

import { event, seriesEvent } from './k8s.mjs';

/** A kubelet event about one container of a pod. */
export function kubeletEvent(c, pod, container, { reason, message, type = 'Normal', first, last, count = 1 }) {
  return event(c, {
    obj: pod,
    fieldPath: container ? `spec.containers{${container}}` : undefined,
    reason,
    message,
    type,
    component: 'kubelet',
    host: pod.spec.nodeName,
    first,
    last: last ?? first,
    count,
  });
}

/** The events kubelet leaves behind for a container that keeps restarting. */
export function restartEvents(c, pod, container, image, { restarts, firstStart, lastStart, backoff, unhealthy, killing }) {
  const out = [
    kubeletEvent(c, pod, container, { reason: 'Pulled', message: `Container image "${image}" already present on machine`, first: firstStart, last: lastStart, count: restarts + 1 }),
    kubeletEvent(c, pod, container, { reason: 'Created', message: `Created container ${container}`, first: firstStart, last: lastStart, count: restarts + 1 }),
    kubeletEvent(c, pod, container, { reason: 'Started', message: `Started container ${container}`, first: firstStart, last: lastStart, count: restarts + 1 }),
  ];
  if (unhealthy) out.push(kubeletEvent(c, pod, container, { reason: 'Unhealthy', type: 'Warning', message: unhealthy.message, first: unhealthy.first, last: unhealthy.last, count: unhealthy.count }));
  if (killing) out.push(kubeletEvent(c, pod, container, { reason: 'Killing', message: killing.message, first: killing.first, last: killing.last, count: killing.count }));
  if (backoff) {
    out.push(kubeletEvent(c, pod, container, {
      reason: 'BackOff',
      type: 'Warning',
      message: `Back-off restarting failed container ${container} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`,
      first: backoff.first,
      last: backoff.last,
      count: backoff.count,
    }));
  }
  return out;
}

/** A FailedScheduling event from kube-scheduler (events.k8s.io/v1 series, seen through core/v1). */
export function failedScheduling(c, pod, { message, first, last, count, schedulerHost }) {
  return seriesEvent(c, {
    obj: pod,
    reason: 'FailedScheduling',
    message,
    type: 'Warning',
    action: 'Scheduling',
    reportingComponent: 'default-scheduler',
    reportingInstance: `default-scheduler-${schedulerHost}`,
    first,
    last,
    count,
  });
}

/** A "Scheduled" event (only visible when it happened within the event TTL). */
export function scheduled(c, pod, { at, schedulerHost }) {
  return seriesEvent(c, {
    obj: pod,
    reason: 'Scheduled',
    message: `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${pod.spec.nodeName}`,
    type: 'Normal',
    action: 'Binding',
    reportingComponent: 'default-scheduler',
    reportingInstance: `default-scheduler-${schedulerHost}`,
    first: at,
    last: at,
    count: 1,
  });
}

/** A controller event (deployment-controller, replicaset-controller, job-controller, ...). */
export function controllerEvent(c, obj, component, { reason, message, type = 'Normal', first, last, count = 1 }) {
  return event(c, { obj, reason, message, type, component, first, last: last ?? first, count });
}
