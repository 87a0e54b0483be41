/** Error texts and the redactor never carry a secret, whatever path it takes. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scan } from '../../src/engine.js';
import { ALL_RULES } from '../../src/rules/index.js';
import type { Rule } from '../../src/rule.js';
import { Redactor, safeErrorText } from '../../src/redact.js';
import { jsonText } from '../../src/report/json.js';
import { findLeaks } from '../helpers/leaks.js';
import { plantedTokens } from '../helpers/planted.js';

const SECRET = 'Zq9Lm2Xv7Rt4Np8Kd3Wb';

describe('safe error text', () => {
  it('drops quoted content and token-like runs, keeps the error kind', () => {
    let parseError: unknown;
    try {
      JSON.parse(`{"password": ${SECRET}}`);
    } catch (err) {
      parseError = err;
    }
    for (const err of [
      parseError,
      new Error(`bad value "${SECRET}" in env`),
      new Error(`token ${SECRET}${SECRET}`),
      new Error(`cut '${SECRET}`),
    ]) {
      const text = safeErrorText(err);
      expect(findLeaks([SECRET], { text })).toEqual([]);
      expect(text).toMatch(/Error/);
    }
  });
});

describe('internal errors', () => {
  it('never echo file content a crashing rule put in its error', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pg-crash-'));
    writeFileSync(join(root, 'Dockerfile'), `FROM alpine:3.20\nLABEL note="${SECRET}"\n`);
    const crashing: Rule = {
      meta: { ...ALL_RULES[0]!.meta, id: 'crashing-rule', kinds: ['dockerfile'], system: false },
      check(file) {
        throw new Error(`unexpected value "${file.source.text.split('"')[1]}" near ${SECRET}`);
      },
    };
    const result = await scan({ root, rules: [...ALL_RULES, crashing] });
    const crash = result.findings.find((f) => f.ruleId === 'internal-error');
    expect(crash?.message).toContain('crashing-rule');
    expect(findLeaks([SECRET], { json: jsonText(result) })).toEqual([]);
  });
});

describe('JSON output', () => {
  it('carries what a rule says about a finding (properties), never the secret itself', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pg-json-props-'));
    const token = plantedTokens(5).gitlabToken!;
    writeFileSync(join(root, 'cm.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  token: ${token}\n`);
    const result = await scan({ root });
    const json = jsonText(result);
    const found = (JSON.parse(json) as { findings: { ruleId: string; properties?: Record<string, unknown> }[] }).findings.find(
      (f) => f.ruleId === 'secret-token',
    );
    expect(found?.properties).toEqual({ precision: 'high', tokenType: 'GitLab token', checksumVerified: false });
    expect(findLeaks([token], { json })).toEqual([]);
  });
});

describe('Redactor', () => {
  it('masks secrets as written and as escaped inside JSON strings, and key blocks line by line', () => {
    const r = new Redactor([`pa"ss\\${SECRET}`, `-----BEGIN KEY-----\n${SECRET}AAAA\n-----END KEY-----`]);
    const json = JSON.stringify({ m: `x pa"ss\\${SECRET} y` });
    expect(r.redact(json)).not.toContain(SECRET);
    expect(r.redact(`line: ${SECRET}AAAA`)).toBe('line: ***');
  });
});

describe('secret fingerprints', () => {
  it('are stable when the secret moves, differ per secret, and never contain it', async () => {
    const fingerprints = async (text: string): Promise<string[]> => {
      const root = mkdtempSync(join(tmpdir(), 'pg-fp-'));
      writeFileSync(join(root, 'Dockerfile'), text);
      const result = await scan({ root });
      return result.findings.filter((f) => f.ruleId === 'secret-env-literal').map((f) => f.fingerprint);
    };
    const a = await fingerprints(`FROM alpine:3.20\nENV DB_PASSWORD=${SECRET}\n`);
    const moved = await fingerprints(`FROM alpine:3.20\nLABEL a=b\n\nENV DB_PASSWORD=${SECRET}\n`);
    const other = await fingerprints(`FROM alpine:3.20\nENV DB_PASSWORD=${SECRET}x\n`);
    expect(a).toHaveLength(1);
    expect(moved).toEqual(a);
    expect(other[0]).not.toBe(a[0]);
    expect(findLeaks([SECRET], { fp: a.join(' ') })).toEqual([]);
  });
});
