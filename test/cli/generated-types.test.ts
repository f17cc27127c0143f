import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('schemas and types', () => {
  it('src/schema/generated.ts is what the schemas in schemas/ generate', () => {
    expect(() => execFileSync('node', ['scripts/gen-types.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});
