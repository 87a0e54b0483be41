/**
 * The redaction format, pinned: how much of a secret a message shows (describeSecret) and that
 * a registered value is masked as `***` wherever it appears, as written and JSON-escaped. The
 * leak tests rely on these rules; a looser format (5 characters shown, a prefix on short values)
 * must fail here.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scan } from '../../src/engine.js';
import { Redactor, describeSecret, safeErrorText } from '../../src/redact.js';
import { toText } from '../../src/report/text.js';
import { jsonText } from '../../src/report/json.js';

describe('describeSecret', () => {
  it.each([
    ['Qx7#kp', '6 chars'],
    ['Qx7#kp9!a', '9 chars'],
    ['Ab3#Xy9z!Q', 'Ab…, 10 chars'],
    ['Ab3#Xy9z!Q12345', 'Ab…, 15 chars'],
    ['Zq9Lm2Xv7Rt4Np8K', 'Zq9L…, 16 chars'],
    ['Zq9Lm2Xv7Rt4Np8Kd3WbZq9Lm2Xv7Rt4Np8Kd3Wb', 'Zq9L…, 40 chars'],
  ])('%s -> %s', (value, shown) => {
    expect(describeSecret(value)).toBe(shown);
  });
});

describe('Redactor', () => {
  it('masks a registered credential as *** wherever it appears, also JSON-escaped', () => {
    const r = new Redactor(['Qx7#kp9!', 'Pa"ss\\w0rd']);
    expect(r.redact('a Qx7#kp9! b Qx7#kp9!Qx7#kp9! c')).toBe('a *** b ****** c');
    expect(r.redact(JSON.stringify({ v: 'Pa"ss\\w0rd' }))).toBe('{"v":"***"}');
  });

  it('masks a secret that contains another one whole', () => {
    const r = new Redactor(['Zq9Lm2Xv', 'Zq9Lm2Xv7Rt4Np8Kd3Wb']);
    expect(r.redact('[Zq9Lm2Xv7Rt4Np8Kd3Wb]')).toBe('[***]');
  });
});

describe('Redactor registration', () => {
  it('starts empty and registers a value once, with its JSON-escaped form only when it differs', () => {
    expect(new Redactor().secrets).toEqual([]);
    expect(new Redactor().redact('Stryker was here')).toBe('Stryker was here');
    const r = new Redactor(['Zq9Lm2Xv7Rt4']);
    r.add('Zq9Lm2Xv7Rt4');
    expect(r.secrets).toEqual(['Zq9Lm2Xv7Rt4']);
    expect(new Redactor(['Pa"ss\\w0rd']).secrets).toEqual(['Pa"ss\\w0rd', 'Pa\\"ss\\\\w0rd']);
  });

  it('masks each line of 8 or more characters of a multi-line secret on its own, never shorter lines', () => {
    const r = new Redactor(['Zq9Lm2Xv7Rt4\nQx7#kp9!\nab1#Xy9']);
    expect(r.redact('a Zq9Lm2Xv7Rt4 b')).toBe('a *** b');
    expect(r.redact('c Qx7#kp9! d')).toBe('c *** d');
    expect(r.redact('e ab1#Xy9 f')).toBe('e ab1#Xy9 f');
    // Length counts without the surrounding blanks.
    const padded = new Redactor(['Zq9Lm2Xv7Rt4\n   ab1#Xy9']);
    expect(padded.redact('g    ab1#Xy9 h')).toBe('g    ab1#Xy9 h');
  });
});

describe('safeErrorText', () => {
  it.each([
    ['bad value "Zq9 Lm2" in env', 'Error: bad value «…» in env'],
    ["bad value 'Zq9 Lm2' in env", 'Error: bad value «…» in env'],
    ['bad value `Zq9 Lm2` in env', 'Error: bad value «…» in env'],
    ['escaped "a \\" b" end', 'Error: escaped «…» end'],
    ['cut "Zq9 Lm2\nnext line', 'Error: cut «…\nnext line'],
    ['token abc123def456 near configuration', 'Error: token … near configuration'],
    [
      'run AbcdefghijKlmnopqrsT (20, mixed case) and AbcdefghijKlmnopqrS (19)',
      'Error: run … (20, mixed case) and AbcdefghijKlmnopqrS (19)',
    ],
    ['see https://example.com or ftp://a1.example', 'Error: see https://example.com or …'],
    ['short a1b2c3d tokens stay', 'Error: short a1b2c3d tokens stay'],
    [
      'one-case runs ABCDEFGHIJKLMNOPQRSTU and abcdefghijklmnopqrstu stay',
      'Error: one-case runs ABCDEFGHIJKLMNOPQRSTU and abcdefghijklmnopqrstu stay',
    ],
  ])('%s', (message, safe) => {
    expect(safeErrorText(new Error(message))).toBe(safe);
  });

  it('takes non-errors as text, reads at most 2,000 characters and writes at most `max`', () => {
    expect(safeErrorText('plain words')).toBe('plain words');
    const long = 'word '.repeat(100_000);
    expect(safeErrorText(long)).toBe(long.slice(0, 300));
    expect(safeErrorText(long, 40)).toBe(long.slice(0, 40));
    // A quote opened after the first 2,000 characters is never seen.
    expect(safeErrorText(`${'w '.repeat(1000)}"Zq9Lm2Xv7Rt4"`, 5000)).toBe('w '.repeat(1000));
  });
});

describe('messages about secrets', () => {
  it('show at most the first 4 characters and the length, in every output', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pg-redact-fmt-'));
    const env = [
      ['DB_PASSWORD', 'Qx7#kp'],
      ['SHORT_SECRET', 'Ab3#Xy9z!Q'],
      ['API_TOKEN', 'Zq9Lm2Xv7Rt4Np8Kd3Wb'],
    ];
    writeFileSync(
      join(root, 'pod.yaml'),
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: app:1.0\n      env:\n${env
        .map(([n, v]) => `        - name: ${n}\n          value: "${v}"\n`)
        .join('')}`,
    );
    const result = await scan({ root, today: '2026-12-01' });
    const messages = result.findings.filter((f) => f.ruleId === 'secret-env-literal').map((f) => f.message);
    expect(messages).toEqual([
      'Pod/p container "c" sets env "DB_PASSWORD" to a literal value (6 chars); use valueFrom.secretKeyRef.',
      'Pod/p container "c" sets env "SHORT_SECRET" to a literal value (Ab…, 10 chars); use valueFrom.secretKeyRef.',
      'Pod/p container "c" sets env "API_TOKEN" to a literal value (Zq9L…, 20 chars); use valueFrom.secretKeyRef.',
    ]);
    const outputs = [toText(result), jsonText(result)].join('\n');
    for (const [, v] of env) expect(outputs.includes(v!)).toBe(false);
    expect(outputs).not.toMatch(/Zq9Lm/);
  });
});
