/**
 * The import graph of src/ (scripts/layers.mjs): no cycle, and no import up the layers beyond the
 * known ones, which may only disappear.
 */
import { KNOWN_UPWARD, cycles, importGraph, upwardImports } from '../../scripts/layers.mjs';

describe('layers', () => {
  const graph = importGraph();

  it('reads the whole graph', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('rules/privileged-container.ts')).toContain('rule.ts');
  });

  it('has no import cycle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const g = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(cycles(g)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  it('imports up the layers only where known', () => {
    expect(upwardImports(graph)).toEqual([...KNOWN_UPWARD].sort());
  });

  it('flags a rule importing a platform and the ground floor importing a rule', () => {
    const g = new Map([
      ['rules/x.ts', ['platform/github.ts', 'rule.ts']],
      ['rule.ts', ['rules/x.ts']],
    ]);
    expect(upwardImports(g)).toEqual(['rule.ts -> rules/x.ts', 'rules/x.ts -> platform/github.ts']);
  });
});
