// Container log text in the formats the real components print.

import { int, klogTime, ms, plus } from './util.mjs';

/** A klog text line: `I1227 10:01:52.118204       1 file.go:123] message`. */
export function klog(level, t, micros, src, msg, pid = 1) {
  return `${level}${klogTime(t, micros)} ${String(pid).padStart(7, ' ')} ${src}] ${msg}`;
}

/** An old klogr / controller-runtime line: `"msg"="..." "key"="value" ...`. */
export function logr(level, t, micros, src, msg, kv = []) {
  const fields = [`"msg"=${JSON.stringify(msg)}`];
  for (const [k, v] of kv) fields.push(`${JSON.stringify(k)}=${typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v)}`);
  return klog(level, t, micros, src, fields.join(' '));
}

/** The key/values controller-runtime attaches to every reconcile log line. */
export function reconcileKV(kind, group, ns, name, reconcileID) {
  return [
    [kind, { name, namespace: ns }],
    ['controller', kind.toLowerCase()],
    ['controllerGroup', group],
    ['controllerKind', kind],
    ['name', name],
    ['namespace', ns],
    ['reconcileID', reconcileID],
  ];
}

// ---------------------------------------------------------------------------- cilium-agent

function lr(t, level, msg, fields = '') {
  return `time="${t}" level=${level} msg=${JSON.stringify(msg)}${fields ? ' ' + fields : ''}`;
}

/**
 * One run of cilium-agent that never gets its pod CIDR from cilium-operator.
 * o: { start, node, nodeIP, version, apiHost, apiPort, kpr, end: 'running'|'sigterm'|'fatal', until, podCIDRHint }
 */
export function ciliumAgentRun(o) {
  const t = (s) => plus(o.start, s);
  const L = [];
  const sub = (s) => `subsys=${s}`;
  L.push(lr(t(0), 'info', `Memory available for map entries (0.003% of 8077467648B): 20193669B`, sub('config')));
  L.push(lr(t(0), 'info', 'option bpf-ct-global-tcp-max set by dynamic sizing to 131072', sub('config')));
  L.push(lr(t(0), 'info', 'option bpf-ct-global-any-max set by dynamic sizing to 65536', sub('config')));
  L.push(lr(t(0), 'info', 'option bpf-nat-global-max set by dynamic sizing to 131072', sub('config')));
  L.push(lr(t(0), 'info', 'option bpf-neigh-global-max set by dynamic sizing to 131072', sub('config')));
  L.push(lr(t(0), 'info', 'option bpf-sock-rev-map-max set by dynamic sizing to 65536', sub('config')));
  L.push(lr(t(0), 'info', `  --k8s-api-server-urls=''`, sub('daemon')));
  L.push(lr(t(0), 'info', `  --k8s-service-host='${o.apiHost}'`, sub('daemon')));
  L.push(lr(t(0), 'info', `  --kube-proxy-replacement='${o.kpr ? 'true' : 'false'}'`, sub('daemon')));
  L.push(lr(t(0), 'info', `  --ipam='cluster-pool'`, sub('daemon')));
  L.push(lr(t(0), 'info', `  --routing-mode='tunnel'`, sub('daemon')));
  L.push(lr(t(0), 'info', `     _ _ _`, sub('daemon')));
  L.push(lr(t(0), 'info', ` ___|_| |_|_ _ _____`, sub('daemon')));
  L.push(lr(t(0), 'info', `|  _| | | | | |     |`, sub('daemon')));
  L.push(lr(t(0), 'info', `|___|_|_|_|___|_|_|_|`, sub('daemon')));
  L.push(lr(t(0), 'info', `Cilium ${o.version.replace(/^v/, '')} 3d5a1b0c 2025-05-07T11:09:31+00:00 go version go1.23.8 linux/amd64`, sub('daemon')));
  L.push(lr(t(0), 'info', 'clang (10.0.0) and kernel (5.14.0) versions: OK!', sub('linux-datapath')));
  L.push(lr(t(0), 'info', 'Kernel config file not found: if the agent fails to start, check the system requirements at https://docs.cilium.io/en/stable/operations/system_requirements', sub('probes')));
  L.push(lr(t(0), 'info', 'Detected mounted BPF filesystem at /sys/fs/bpf', sub('bpf')));
  L.push(lr(t(0), 'info', 'Mounted cgroupv2 filesystem at /run/cilium/cgroupv2', sub('cgroups')));
  L.push(lr(t(0), 'info', 'Parsing base label prefixes from default label list', sub('labels-filter')));
  L.push(lr(t(1), 'info', 'Establishing connection to apiserver', `host="https://${o.apiHost}:${o.apiPort}" ${sub('k8s-client')}`));
  L.push(lr(t(1), 'info', 'Connected to apiserver', sub('k8s-client')));
  L.push(lr(t(1), 'info', 'Inheriting MTU from external network interface', `device=ens3 ipAddr=${o.nodeIP} mtu=1500 ${sub('mtu')}`));
  L.push(lr(t(1), 'info', 'Restored services from maps', `failed=0 restored=0 ${sub('service')}`));
  L.push(lr(t(1), 'info', 'Reading old endpoints...', sub('daemon')));
  L.push(lr(t(1), 'info', 'No old endpoints found.', sub('daemon')));
  L.push(lr(t(2), 'info', 'Retrieved node information from kubernetes node', `nodeName=${o.node} ${sub('daemon')}`));
  L.push(lr(t(2), 'info', 'Received own node information from API server', `ipAddr.ipv4=${o.nodeIP} ipAddr.ipv6="<nil>" k8sNodeIP=${o.nodeIP} nodeName=${o.node} ${sub('daemon')}`));
  L.push(lr(t(2), 'info', 'Creating or updating CiliumNode resource', `node=${o.node} ${sub('nodediscovery')}`));
  L.push(lr(t(2), 'info', 'Initializing cluster-pool IPAM', `${sub('ipam')} v4Prefix="<nil>" v6Prefix="<nil>"`));
  L.push(lr(t(3), 'info', 'Waiting until all pre-existing resources have been received', sub('k8s-watcher')));
  const end = o.end;
  const until = o.until;
  const waited = Math.floor((ms(until) - ms(t(3))) / 1000);
  let i = 0;
  for (let s = 5; s <= waited; s += 15, i++) {
    L.push(lr(t(3 + s), 'info', 'Waiting for IPs to become available in CRD-backed allocation pool', `available=0 helpMessage="Check if cilium-operator pod is running and does not have any warnings or error messages." name=${o.node} required=1 ${sub('ipam')}`));
    if (i % 4 === 3) L.push(lr(t(3 + s), 'warning', 'Unable to update CiliumNode custom resource', `error="CiliumNode ${o.node} has no .spec.ipam.podCIDRs assigned by cilium-operator yet" ${sub('ipam')}`));
  }
  if (end === 'sigterm') {
    L.push(lr(until, 'info', 'Received termination signal. Shutting down', sub('daemon')));
    L.push(lr(until, 'info', 'Stopping fqdn proxy', sub('daemon')));
    L.push(lr(until, 'info', 'Stop hook executed', `duration="31.718µs" function="*cni.cniConfigManager.Stop" ${sub('hive')}`));
  } else if (end === 'fatal') {
    L.push(lr(until, 'error', 'Start hook failed', `error="daemon creation failed: failed to wait for IPAM allocation: timeout waiting for cilium-operator to allocate a PodCIDR to CiliumNode ${o.node}" function="cmd.newDaemonPromise.func1 (pkg/daemon/cmd/daemon_main.go:1690)" ${sub('hive')}`));
    L.push(lr(until, 'info', 'Stop hook executed', `duration="18.452µs" function="*cni.cniConfigManager.Stop" ${sub('hive')}`));
    L.push(lr(until, 'fatal', `failed to start: daemon creation failed: failed to wait for IPAM allocation: timeout waiting for cilium-operator to allocate a PodCIDR to CiliumNode ${o.node}`, sub('daemon')));
  }
  return L;
}

// ---------------------------------------------------------------------------- nutanix CCM

/** One crashing run of the Nutanix cloud-controller-manager that cannot reach the service VIP. */
export function nutanixCCMRun({ start, apiVIP, version, micro }) {
  const L = [];
  const at = (s) => plus(start, s);
  // microseconds grow monotonically within the run, like a real process's clock
  let cur = micro;
  const m = (k) => (cur += int(150, 1900, 'ccm', start, k)) % 1000000;
  const flags = [
    ['allocate-node-cidrs', 'false'],
    ['authentication-kubeconfig', ''],
    ['authentication-skip-lookup', 'false'],
    ['authentication-tolerate-lookup-failure', 'true'],
    ['bind-address', '0.0.0.0'],
    ['cloud-config', '/etc/cloud/nutanix_config.json'],
    ['cloud-provider', 'nutanix'],
    ['cluster-name', 'kubernetes'],
    ['configure-cloud-routes', 'false'],
    ['controllers', '[*]'],
    ['leader-elect', 'true'],
    ['leader-elect-lease-duration', '15s'],
    ['leader-elect-renew-deadline', '10s'],
    ['leader-elect-resource-lock', 'leases'],
    ['leader-elect-resource-name', 'cloud-controller-manager'],
    ['leader-elect-resource-namespace', 'kube-system'],
    ['leader-elect-retry-period', '2s'],
    ['secure-port', '10258'],
    ['tls-cipher-suites', '[TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]'],
    ['use-service-account-credentials', 'false'],
    ['v', '3'],
  ];
  flags.forEach(([k, v], i) => L.push(klog('I', at(0), m(`f${i}`), 'flags.go:64', `FLAG: --${k}="${v}"`)));
  L.push(klog('I', at(0), m('cert'), 'serving.go:386', 'Generated self-signed cert in-memory'));
  L.push(klog('W', at(0), m('incluster'), 'client_config.go:667', 'Neither --kubeconfig nor --master was specified.  Using the inClusterConfig.  This might not work.'));
  const authErr = `Get "https://${apiVIP}:443/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication": dial tcp ${apiVIP}:443: i/o timeout`;
  cur = micro + 1200;
  L.push(klog('W', at(30), m('a1'), 'authentication.go:446', "Unable to get configmap/extension-apiserver-authentication in kube-system.  Usually fixed by 'kubectl create rolebinding -n kube-system ROLEBINDING_NAME --role=extension-apiserver-authentication-reader --serviceaccount=YOUR_NS:YOUR_SA'"));
  L.push(klog('W', at(30), m('a2'), 'authentication.go:447', `Error looking up in-cluster authentication configuration: ${authErr}`));
  L.push(klog('W', at(30), m('a3'), 'authentication.go:448', 'Continuing without authentication configuration. This may treat all requests as anonymous.'));
  L.push(klog('W', at(30), m('a4'), 'authentication.go:449', 'To require authentication configuration lookup to succeed, set --authentication-tolerate-lookup-failure=false'));
  L.push(klog('I', at(30), m('ver'), 'controllermanager.go:169', `Version: ${version}`));
  L.push(klog('I', at(30), m('cfg'), 'nutanix_manager.go:71', 'Creating Nutanix manager from cloud config /etc/cloud/nutanix_config.json'));
  L.push(klog('I', at(30), m('sec'), 'secure_serving.go:213', 'Serving securely on [::]:10258'));
  L.push(klog('I', at(30), m('tls'), 'tlsconfig.go:243', '"Starting DynamicServingCertificateController"'));
  cur = micro + 1500;
  L.push(klog('I', at(31), m('le'), 'leaderelection.go:254', 'attempting to acquire leader lease kube-system/cloud-controller-manager...'));
  return L;
}

export { plus };
