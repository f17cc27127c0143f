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

/** Every rule, in the order of the report contract's catalog (which is also the order findings are listed in). */
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
];
