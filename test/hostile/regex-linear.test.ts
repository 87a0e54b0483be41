/**
 * Every exported pattern of the secret detectors runs in linear time on adversarial input.
 * The detectors' patterns are collected from src/secrets/detectors.ts (DETECTORS) and the
 * Dockerfile RUN set-up patterns; each gets adversarial inputs built from its own characters,
 * and its backtracking steps are counted at two input sizes (no clock: see regex-steps.ts).
 */
import { DETECTORS } from '../../src/secrets/detectors.js';
import { SETUPS } from '../../src/rules/secret-dockerfile-run.js';
import { adversarialInputs, adversarialUnits, collectPatterns, worstGrowth } from '../helpers/regex-linear.js';
import { countSteps, stepMatches } from '../helpers/regex-steps.js';
import { azureKeys } from '../helpers/secrets.js';

describe('regex linear-time harness', () => {
  it('flags a catastrophic pattern and a quadratic one, and passes a linear one (the harness can fail)', () => {
    const catastrophic = worstGrowth(/^(a+)+$/, 2);
    expect(catastrophic.linear).toBe(false);
    expect(catastrophic.exceeded).toBe(true);
    const quadratic = worstGrowth(/[a-z]+x/g, 2);
    expect(quadratic.linear).toBe(false);
    expect(quadratic.ratio).toBeGreaterThan(3.5);
    const linear = worstGrowth(/\bAKIA[0-9A-Z]{16}\b/, 12);
    expect(linear.linear).toBe(true);
    expect(linear.ratio).toBeLessThan(2.1);
  });

  it('counts steps that grow with the work: a longer input costs more, a match costs its length', () => {
    expect(countSteps(/a/g, 'bbbb')).toBeLessThan(countSteps(/a/g, 'bbbbbbbb'));
    expect(countSteps(/a+/g, 'aaaa')).toBeGreaterThan(4);
  });

  it('finds the same matches as the JavaScript engine on text with every kind of secret', () => {
    const sample = `${Object.values(azureKeys(2)).join(' x ')} ghp_${'a'.repeat(36)} AKIAABCDEFGHIJKLMNOP docker login -p hunter2 -u me\n-----BEGIN RSA PRIVATE KEY-----\nMIIE\n`;
    for (const p of collectPatterns({ DETECTORS, SETUPS })) {
      const global = new RegExp(p.re.source, p.re.flags.includes('g') ? p.re.flags : `${p.re.flags}g`);
      const native = [...sample.matchAll(global)].map((m) => [m.index, m.index + m[0].length]);
      expect([p.where, stepMatches(p.re, sample)]).toEqual([p.where, native]);
    }
  });

  it('collects every RegExp a module exports, in arrays and objects', () => {
    const mod = { A: /a/, list: [{ id: 'x', pattern: /b/, more: [/c/] }], nested: { deep: { re: /d/ } }, notAPattern: 'e' };
    expect(collectPatterns(mod).map((p) => `${p.where}=${p.re.source}`)).toEqual([
      'A=a',
      'list[0].pattern=b',
      'list[0].more[0]=c',
      'nested.deep.re=d',
    ]);
  });

  it('builds inputs from the pattern’s own characters', () => {
    const inputs = adversarialInputs(/ghp_[A-Za-z0-9]{36}/, 1 << 20, 12);
    expect(inputs).toHaveLength(12);
    for (const i of inputs) expect(i.length).toBeGreaterThanOrEqual(1 << 20);
    expect(inputs.some((i) => i.startsWith('gggg'))).toBe(true);
    expect(adversarialUnits(/ghp_[A-Za-z0-9]{36}/, 12)).toContain('g');
  });
});

describe('secret detectors are linear-time', () => {
  it('every detector pattern and every RUN set-up pattern doubles its steps (at most 2.6x) when its adversarial input doubles', () => {
    const patterns = collectPatterns({ DETECTORS, SETUPS });
    expect(patterns.length).toBeGreaterThanOrEqual(DETECTORS.length);
    const slow: string[] = [];
    for (const p of patterns) {
      const g = worstGrowth(p.re, 12);
      if (!g.linear) slow.push(`${p.where} /${p.re.source}/${p.re.flags} x${g.ratio.toFixed(2)} on ${JSON.stringify(g.unit)}`);
    }
    expect(slow).toEqual([]);
  });
});
