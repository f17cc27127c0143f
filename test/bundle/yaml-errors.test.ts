import { describe, expect, test } from 'vitest';
import { errorEntries } from '../../src/bundle/errors-file.js';
import { yamlItems } from '../../src/bundle/yaml-items.js';

describe('yamlItems', () => {
  test('a single object document', () => {
    expect(yamlItems('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n')).toEqual({
      items: [{ value: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }, pointer: '' }],
      problems: [],
    });
  });

  test('a List yields its items; items: null yields nothing', () => {
    const r = yamlItems('apiVersion: v1\nkind: List\nitems:\n- kind: Pod\n  metadata: {name: a}\n- kind: Pod\n  metadata: {name: b}\n');
    expect(r.items.map((i) => i.pointer)).toEqual(['/items/0', '/items/1']);
    expect(yamlItems('kind: PodList\nitems: null\n')).toEqual({ items: [], problems: [] });
    expect(yamlItems('kind: PodList\n')).toEqual({ items: [], problems: [] });
  });

  test('a top-level sequence (troubleshoot custom resources) yields /<i>', () => {
    const r = yamlItems('- apiVersion: a/v1\n  kind: A\n- apiVersion: a/v1\n  kind: B\n');
    expect(r.items).toEqual([
      { value: { apiVersion: 'a/v1', kind: 'A' }, pointer: '/0' },
      { value: { apiVersion: 'a/v1', kind: 'B' }, pointer: '/1' },
    ]);
  });

  test('several documents: /<doc> and /<doc>/items/<i>; empty documents are skipped', () => {
    const r = yamlItems('kind: A\n---\nkind: List\nitems:\n- kind: B\n- kind: C\n---\n');
    expect(r.problems).toEqual([]);
    expect(r.items).toEqual([
      { value: { kind: 'A' }, pointer: '/0' },
      { value: { kind: 'B' }, pointer: '/1/items/0' },
      { value: { kind: 'C' }, pointer: '/1/items/1' },
    ]);
  });

  test('a broken document is a problem; the others are read', () => {
    const r = yamlItems('kind: A\n---\nkind: [unclosed\n---\nkind: C\n');
    expect(r.items.map((i) => i.value)).toEqual([{ kind: 'A' }, { kind: 'C' }]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.pointer).toBe('/1');
    expect(r.problems[0]!.message).toMatch(/^invalid YAML: /);
    expect(r.problems[0]!.message).not.toContain('\n');
  });

  test('an alias bomb is refused', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
    ].join('\n');
    const r = yamlItems(bomb);
    expect(r.items).toEqual([]);
    expect(r.problems[0]!.message).toMatch(/alias/i);
  });

  test('unquoted ***HIDDEN*** (troubleshoot redaction) reads as the text it is, duplicate keys keep the last', () => {
    const r = yamlItems('- kind: Engine\n  status:\n    ip: ***HIDDEN***\n    port: ***HIDDEN***:10000\n    f:x: 1\n    f:x: 2\n');
    expect(r.problems).toEqual([]);
    expect(r.items[0]!.value).toEqual({ kind: 'Engine', status: { ip: '***HIDDEN***', port: '***HIDDEN***:10000', 'f:x': 2 } });
  });

  test('real anchors and aliases still work', () => {
    expect(yamlItems('base: &b {x: 1}\nuse: *b\n').items[0]!.value).toEqual({ base: { x: 1 }, use: { x: 1 } });
  });
});

describe('errorEntries', () => {
  test('an array of messages (cluster-scoped kinds)', () => {
    expect(errorEntries(['nodes is forbidden', 'timeout'], 'nodes', undefined, 'namespace')).toEqual([
      { resource: 'nodes', message: 'nodes is forbidden' },
      { resource: 'nodes', message: 'timeout' },
    ]);
  });

  test('an object keyed by namespace; "" means all namespaces', () => {
    expect(errorEntries({ 'kube-system': 'forbidden', '': 'all failed' }, 'pods', undefined, 'namespace')).toEqual([
      { resource: 'pods', namespace: 'kube-system', message: 'forbidden' },
      { resource: 'pods', message: 'all failed' },
    ]);
  });

  test('a per-namespace errors file', () => {
    expect(errorEntries(['forbidden'], 'leases', 'kube-system', 'namespace')).toEqual([{ resource: 'leases', namespace: 'kube-system', message: 'forbidden' }]);
  });

  test("troubleshoot's custom-resources-errors.json is keyed by CRD name", () => {
    expect(
      errorEntries(
        {
          'helmreleaseproxies.addons.cluster.x-k8s.io': 'forbidden',
          'clusters.cluster.x-k8s.io/default': 'yaml: bad',
          crdList: 'could not list CRDs',
        },
        'custom-resources',
        undefined,
        'crd',
      ),
    ).toEqual([
      { resource: 'helmreleaseproxies.addons.cluster.x-k8s.io', message: 'forbidden' },
      { resource: 'clusters.cluster.x-k8s.io', namespace: 'default', message: 'yaml: bad' },
      { resource: 'custom-resources', message: 'crdList: could not list CRDs' },
    ]);
  });

  test('odd shapes', () => {
    expect(errorEntries(null, 'pods', undefined, 'namespace')).toEqual([]);
    expect(errorEntries('one message', 'pods', undefined, 'namespace')).toEqual([{ resource: 'pods', message: 'one message' }]);
    expect(errorEntries([{ code: 403 }], 'pods', undefined, 'namespace')).toEqual([{ resource: 'pods', message: '{"code":403}' }]);
    expect(errorEntries(42, 'pods', undefined, 'namespace')).toMatch(/not an array, object or string/);
  });
});
