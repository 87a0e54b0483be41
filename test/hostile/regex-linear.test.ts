/**
 * Every exported pattern of the secret detectors runs in linear time on 1 MB adversarial input.
 * The detectors' patterns are collected from src/secrets/detectors.ts (DETECTORS) and the
 * Dockerfile RUN set-up patterns; each gets adversarial inputs built from its own characters.
 */
import { DETECTORS } from '../../src/secrets/detectors.js';
import { SETUPS } from '../../src/rules/secret-dockerfile-run.js';
import { adversarialInputs, collectPatterns, timeRegex } from '../helpers/regex-linear.js';

/** Per pattern, over all its 1 MB inputs; linear patterns take a few ms each on this input. */
const LIMIT_MS = 3_000;

describe('regex linear-time harness', () => {
  it('flags a catastrophic pattern and passes a linear one (the harness can fail)', async () => {
    const bad = /^(a+)+$/;
    const good = /\bAKIA[0-9A-Z]{16}\b/;
    const badTiming = await timeRegex(bad, adversarialInputs(bad, 1 << 20, 2), 1_500);
    const goodTiming = await timeRegex(good, adversarialInputs(good, 1 << 20, 12), LIMIT_MS);
    expect(badTiming.timedOut).toBe(true);
    expect(goodTiming.timedOut).toBe(false);
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

  it('builds 1 MB inputs from the pattern’s own characters', () => {
    const inputs = adversarialInputs(/ghp_[A-Za-z0-9]{36}/, 1 << 20, 12);
    expect(inputs).toHaveLength(12);
    for (const i of inputs) expect(i.length).toBeGreaterThanOrEqual(1 << 20);
    expect(inputs.some((i) => i.startsWith('gggg'))).toBe(true);
  });
});

describe('secret detectors are linear-time', () => {
  it('every detector pattern and every RUN set-up pattern finishes within the limit on each 1 MB adversarial input', async () => {
    const patterns = collectPatterns({ DETECTORS, SETUPS });
    expect(patterns.length).toBeGreaterThanOrEqual(DETECTORS.length);
    const slow: string[] = [];
    for (const p of patterns) {
      const t = await timeRegex(p.re, adversarialInputs(p.re, 1 << 20, 12), LIMIT_MS);
      if (t.timedOut) slow.push(`${p.where} /${p.re.source}/${p.re.flags}`);
    }
    expect(slow).toEqual([]);
  }, 600_000);
});
