import { rule as apiServerUnreachable } from './api-server-unreachable.js';
import { rule as ciliumApiEndpointMismatch } from './cilium-api-endpoint-mismatch.js';
import { rule as cniNotReady } from './cni-not-ready.js';
import { rule as collectionIncomplete } from './collection-incomplete.js';
import { rule as containerOomKilled } from './container-oomkilled.js';
import { rule as hcpNotReady } from './hcp-not-ready.js';
import { rule as hrpFailed } from './hrp-failed.js';
import { rule as imagePullFailed } from './image-pull-failed.js';
import { rule as nodeNotReady } from './node-not-ready.js';
import { rule as nodeUninitialized } from './node-uninitialized.js';
import { rule as podCrashloop } from './pod-crashloop.js';
import { rule as podUnschedulable } from './pod-unschedulable.js';
import { rule as probeFailing } from './probe-failing.js';
import type { Rule } from './types.js';
import { rule as workloadUnavailable } from './workload-unavailable.js';
import { rule as clusterNotProvisioned } from './cluster-not-provisioned.js';
import { rule as clusterUnreachable } from './cluster-unreachable.js';
import { rule as containerTerminated } from './container-terminated.js';
import { rule as controlPlaneEndpointUnreachable } from './control-plane-endpoint-unreachable.js';
import { rule as controlPlaneNotReady } from './control-plane-not-ready.js';
import { rule as helmReleaseStuck } from './helm-release-stuck.js';
import { rule as helmValuesInvalid } from './helm-values-invalid.js';
import { rule as hrpChartSourceFailed } from './hrp-chart-source-failed.js';
import { rule as initContainerFailing } from './init-container-failing.js';
import { rule as jobFailed } from './job-failed.js';
import { rule as machineNotRunning } from './machine-not-running.js';
import { rule as machineDeploymentDegraded } from './machinedeployment-degraded.js';
import { rule as nodePressure } from './node-pressure.js';
import { rule as pvcPending } from './pvc-pending.js';
import { rule as webhookFailing } from './webhook-failing.js';

/**
 * Every rule, in the order of the report contract's catalog (which is also the order findings are
 * listed in); the codes added after the first catalog follow it, add-on and cluster failures first.
 */
export const RULES: Rule[] = [
  hrpFailed,
  hcpNotReady,
  podCrashloop,
  probeFailing,
  podUnschedulable,
  nodeUninitialized,
  nodeNotReady,
  workloadUnavailable,
  apiServerUnreachable,
  cniNotReady,
  ciliumApiEndpointMismatch,
  imagePullFailed,
  containerOomKilled,
  collectionIncomplete,
  hrpChartSourceFailed,
  helmValuesInvalid,
  helmReleaseStuck,
  clusterUnreachable,
  clusterNotProvisioned,
  controlPlaneNotReady,
  controlPlaneEndpointUnreachable,
  machineNotRunning,
  machineDeploymentDegraded,
  webhookFailing,
  pvcPending,
  jobFailed,
  containerTerminated,
  initContainerFailing,
  nodePressure,
];
