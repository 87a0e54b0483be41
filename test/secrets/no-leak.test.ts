/**
 * Plants more than 50 distinct generated secrets across every format, and proves each one is
 * found and none appears, as any 6-character run, in any output (text, JSON, SARIF, summary).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scan } from '../../src/engine.js';
import { toText } from '../../src/report/text.js';
import { jsonText } from '../../src/report/json.js';
import { sarifText } from '../../src/report/sarif.js';
import { renderSummary } from '../../src/report/summary.js';
import { findLeaks } from '../helpers/leaks.js';
import { b64, plantRepository } from '../helpers/plant-repo.js';
import { sarifErrors } from '../helpers/sarif.js';

describe('planted secrets', () => {
  it('finds every planted secret and never echoes one in any output', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pg-leak-'));
    const secrets = plantRepository(root);
    expect(new Set(secrets).size).toBe(secrets.length);
    expect(secrets.length).toBeGreaterThanOrEqual(50);

    const result = await scan({ root });
    // Multi-line values (key blocks) are registered as written, indentation included.
    const squash = (v: string): string => v.replace(/\s+/g, '');
    const registered = new Set(result.redactor.secrets.map(squash));
    expect(secrets.filter((v) => !registered.has(squash(v))).map((v) => `${v.slice(0, 4)}… (${v.length} chars)`)).toEqual([]);
    expect(result.findings.filter((f) => f.ruleId.startsWith('secret-')).length).toBeGreaterThanOrEqual(50);

    const sarif = sarifText(result);
    expect(sarifErrors(JSON.parse(sarif))).toEqual([]);
    const outputs = {
      text: toText(result),
      json: jsonText(result),
      sarif,
      summary: renderSummary(result, { failOn: 'error', link: (f, l) => `https://example.test/${f}#L${l}` }),
    };
    // The decoded forms of base64 Secret data must not leak either.
    const forms = [...secrets, ...secrets.map(b64)];
    expect(findLeaks(forms, outputs, { ignore: [/\b[0-9a-f]{32}\b/g] })).toEqual([]);
  });

  it('the leak check finds a 6-character run anywhere (the check itself can fail)', () => {
    expect(findLeaks(['xxabcdEFyy'], { log: 'token abcdEF12 here' })).toHaveLength(1);
    expect(findLeaks(['xxabcdEFyy'], { log: 'token abcdE here' })).toEqual([]);
  });
});
