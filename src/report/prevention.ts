/** What helps avoid each kind of failure next time, keyed by finding code. */
export const PREVENTION: Record<string, string[]> = {
  CNI_NOT_READY: ['Monitor the CNI: make sure its agents are healthy on every node before rolling out other add-ons (CAAPH installs HelmChartProxies independently of each other).'],
  CILIUM_API_ENDPOINT_MISMATCH: ['Template the API address from the CAPI Cluster (`{{ .Cluster.spec.controlPlaneEndpoint.host }}`) instead of hard-coding it in values.'],
  API_SERVER_UNREACHABLE: ['Alert on components that cannot reach the API server; with kube-proxy replacement, ClusterIP services depend on the CNI being up.'],
  POD_CRASHLOOP: ['Alert on pods in CrashLoopBackOff in kube-system and in add-on namespaces.'],
  NODE_UNINITIALIZED: ['Verify the cloud controller manager is running and can reach the API: it must initialize nodes (providerID) before CAPI removes its taint.', 'Check that nodes carry no uninitialized taints before deploying applications.'],
  POD_UNSCHEDULABLE: ['Check node taints and capacity before deploying add-ons; hook Jobs must be able to schedule for Helm upgrades to succeed.'],
  HRP_FAILED: ['Increase Helm hook timeouts (HelmChartProxy spec.options.timeout) where pods legitimately take long to start.', 'Give hooks and workloads proper readiness probes so Helm waits for the right signal.'],
  PROBE_FAILING: ['Tune probe thresholds (startupProbe failureThreshold) for components that start slowly.'],
  IMAGE_PULL_FAILED: ['Mirror every image the add-ons need into the registry the cluster can reach (air-gapped setups) and check pull secrets.'],
  CONTAINER_OOMKILLED: ['Size memory limits from observed usage; alert on OOMKilled containers.'],
  NODE_NOT_READY: ['Alert on NotReady nodes and node pressure conditions.'],
  WORKLOAD_UNAVAILABLE: ['Alert on Deployments and DaemonSets with unavailable replicas.'],
  COLLECTION_INCOMPLETE: ['Collect with an account that can read CAPI and CAAPH objects in the management cluster and nodes, pods and events in the workload cluster.'],
};
