/**
 * Every exported pattern of the secret detectors runs in linear time on 1 MB adversarial input.
 * The detectors (`src/secrets/index.ts`, exporting DETECTORS) land with the secrets issue; until
 * then the detector suite is a todo and only the harness's own checks run.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adversarialInputs, collectPatterns, timeRegex } from '../helpers/regex-linear.js';

const SECRETS_MODULE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'secrets', 'index.ts');
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
  if (!existsSync(SECRETS_MODULE)) {
    it.todo('every exported pattern of src/secrets (DETECTORS) on 1 MB adversarial input — wire up when the secrets issue merges');
    return;
  }
  it('every exported pattern finishes within the limit on each 1 MB adversarial input', async () => {
    // A variable specifier keeps this file compiling before the module exists.
    const spec = '../../src/secrets/index.js';
    const mod = (await import(spec)) as Record<string, unknown>;
    expect(mod.DETECTORS).toBeDefined();
    const patterns = collectPatterns(mod);
    expect(patterns.length).toBeGreaterThan(0);
    const slow: string[] = [];
    for (const p of patterns) {
      const t = await timeRegex(p.re, adversarialInputs(p.re, 1 << 20, 12), LIMIT_MS);
      if (t.timedOut) slow.push(`${p.where} /${p.re.source}/${p.re.flags}`);
    }
    expect(slow).toEqual([]);
  }, 300_000);
});
