import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderRuleCatalog } from '../../src/cli/rules-command.js';
import { RULES } from '../../src/rules/index.js';

const CONTRACT_CODES = [
  'HRP_FAILED', 'HCP_NOT_READY', 'POD_CRASHLOOP', 'PROBE_FAILING', 'POD_UNSCHEDULABLE', 'NODE_UNINITIALIZED', 'NODE_NOT_READY',
  'WORKLOAD_UNAVAILABLE', 'API_SERVER_UNREACHABLE', 'CNI_NOT_READY', 'CILIUM_API_ENDPOINT_MISMATCH', 'IMAGE_PULL_FAILED',
  'CONTAINER_OOMKILLED', 'COLLECTION_INCOMPLETE',
];

describe('rule catalog', () => {
  it('has one rule for every code of the report contract (new codes may be added), each with meta', () => {
    const codes = RULES.map((r) => r.meta.code);
    expect(codes).toEqual(expect.arrayContaining(CONTRACT_CODES));
    expect(new Set(codes).size).toBe(codes.length);
    for (const { meta } of RULES) {
      expect(meta.title.length).toBeGreaterThan(5);
      expect(meta.docs.length).toBeGreaterThan(40);
    }
  });

  it('is documented in docs/rules.md exactly as `hrp-doctor rules --format md` prints it', () => {
    expect(readFileSync(new URL('../../docs/rules.md', import.meta.url), 'utf8')).toBe(renderRuleCatalog('md'));
  });
});
