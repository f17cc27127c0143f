import { describe, expect, it } from 'vitest';
import {
  fieldMatcher, matchesLabels, parseFieldSelector, parseLabelSelector, SelectorError,
} from '../../src/serve/selectors.js';

const labels = { app: 'cilium', tier: 'node', 'app.kubernetes.io/name': 'cilium-agent' };
const match = (selector: string, l: Record<string, string> | undefined = labels) => matchesLabels(parseLabelSelector(selector), l);

describe('label selectors', () => {
  it('parses every operator', () => {
    expect(parseLabelSelector('a=b, c==d,e!=f, g in (x, y), h notin (z),i,!j')).toEqual([
      { key: 'a', operator: '=', values: ['b'] },
      { key: 'c', operator: '=', values: ['d'] },
      { key: 'e', operator: '!=', values: ['f'] },
      { key: 'g', operator: 'in', values: ['x', 'y'] },
      { key: 'h', operator: 'notin', values: ['z'] },
      { key: 'i', operator: 'exists', values: [] },
      { key: 'j', operator: '!exists', values: [] },
    ]);
  });

  it('an empty selector matches everything, even objects without labels', () => {
    expect(parseLabelSelector('')).toEqual([]);
    expect(match('', undefined)).toBe(true);
  });

  it('= and == require the label with that value', () => {
    expect(match('app=cilium')).toBe(true);
    expect(match('app==cilium')).toBe(true);
    expect(match('app=coredns')).toBe(false);
    expect(match('missing=x')).toBe(false);
    expect(match('app.kubernetes.io/name=cilium-agent')).toBe(true);
  });

  it('!= and notin also match objects that lack the label', () => {
    expect(match('app!=coredns')).toBe(true);
    expect(match('app!=cilium')).toBe(false);
    expect(match('missing!=x')).toBe(true);
    expect(match('app notin (coredns,kube-dns)')).toBe(true);
    expect(match('app notin (cilium)')).toBe(false);
    expect(match('missing notin (x)')).toBe(true);
  });

  it('in needs the label and one of the values', () => {
    expect(match('app in (coredns, cilium)')).toBe(true);
    expect(match('app in (coredns)')).toBe(false);
    expect(match('missing in (x)')).toBe(false);
  });

  it('exists and !exists', () => {
    expect(match('tier')).toBe(true);
    expect(match('!tier')).toBe(false);
    expect(match('!missing')).toBe(true);
    expect(match('missing')).toBe(false);
  });

  it('all requirements must hold', () => {
    expect(match('app=cilium,tier=node')).toBe(true);
    expect(match('app=cilium,tier=control-plane')).toBe(false);
    expect(match('app in (cilium,x),!missing,tier')).toBe(true);
  });

  it('rejects what the API server rejects', () => {
    for (const bad of ['a=b,', 'app in (a', 'a b', 'in=(x)=y', 'a=b c', '=x']) {
      expect(() => parseLabelSelector(bad), bad).toThrow(SelectorError);
    }
  });
});

const pod = {
  metadata: { name: 'cilium-4xk2p', namespace: 'kube-system' },
  spec: { nodeName: 'worker-1' },
  status: { phase: 'Running' },
};
const pending = { metadata: { name: 'pending-1', namespace: 'kube-system' }, spec: {}, status: { phase: 'Pending' } };

describe('field selectors', () => {
  it('parses =, == and != with escapes', () => {
    expect(parseFieldSelector('status.phase=Running,spec.nodeName!=a\\,b,metadata.name==x')).toEqual([
      { field: 'status.phase', operator: '=', value: 'Running' },
      { field: 'spec.nodeName', operator: '!=', value: 'a,b' },
      { field: 'metadata.name', operator: '=', value: 'x' },
    ]);
  });

  it('selects pods by phase, node, name and namespace', () => {
    const m = (s: string) => fieldMatcher('', 'pods', parseFieldSelector(s));
    expect(m('status.phase=Pending')(pending)).toBe(true);
    expect(m('status.phase=Pending')(pod)).toBe(false);
    expect(m('spec.nodeName=worker-1,status.phase!=Failed,status.phase!=Succeeded')(pod)).toBe(true);
    expect(m('spec.nodeName=')(pending)).toBe(true); // unscheduled pods
    expect(m('metadata.name=cilium-4xk2p,metadata.namespace=kube-system')(pod)).toBe(true);
    expect(m('spec.hostNetwork=false')(pod)).toBe(true);
  });

  it('selects events by involvedObject.* (kubectl describe)', () => {
    const event = { metadata: { name: 'e1', namespace: 'kube-system' }, involvedObject: { kind: 'Pod', name: 'cilium-4xk2p', namespace: 'kube-system', uid: 'u1' }, type: 'Warning', reason: 'BackOff' };
    const m = (s: string) => fieldMatcher('', 'events', parseFieldSelector(s))(event);
    expect(m('involvedObject.name=cilium-4xk2p,involvedObject.namespace=kube-system,involvedObject.kind=Pod,involvedObject.uid=u1')).toBe(true);
    expect(m('involvedObject.uid=other')).toBe(false);
    expect(m('type=Warning,reason=BackOff')).toBe(true);
  });

  it('unknown fields are rejected like the API server does', () => {
    expect(() => fieldMatcher('', 'pods', parseFieldSelector('foo=bar'))).toThrow('field label not supported: foo');
    expect(() => fieldMatcher('', 'nodes', parseFieldSelector('status.phase=Running'))).toThrow(SelectorError);
    expect(() => fieldMatcher('addons.cluster.x-k8s.io', 'helmreleaseproxies', parseFieldSelector('spec.clusterRef.name=x'))).toThrow(SelectorError);
    expect(fieldMatcher('addons.cluster.x-k8s.io', 'helmreleaseproxies', parseFieldSelector('metadata.name=x'))({ metadata: { name: 'x' } })).toBe(true);
  });

  it('a term without an operator is a parse error', () => {
    expect(() => parseFieldSelector('status.phase')).toThrow(SelectorError);
  });
});
