/**
 * #16's bug: values a Secret holds that are no credential (`insecure: "true"`, `type: helm`) must
 * not be masked in messages about other objects, nor registered for the job log's masking.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scan } from '../../src/engine.js';
import { isCredentialLike } from '../../src/redact.js';
import { toText } from '../../src/report/text.js';
import { classifyUser } from '../../src/image/user.js';

const SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: repo
stringData:
  type: helm
  insecure: "true"
  url: https://charts.example.com
  password: Zq9Lm2Xv7Rt4Np8Kd3Wb
`;
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: helm-guestbook
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
`;

describe('redaction of what is a credential, where it is', () => {
  it('leaves messages about other objects untouched and registers only credential-like values', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pg-redact-words-'));
    writeFileSync(join(root, 'secret.yaml'), SECRET);
    writeFileSync(join(root, 'deploy.yaml'), DEPLOYMENT);
    const result = await scan({ root });
    expect(result.redactor.secrets).not.toContain('true');
    expect(result.redactor.secrets).not.toContain('helm');
    expect(result.redactor.secrets).toContain('Zq9Lm2Xv7Rt4Np8Kd3Wb');
    const about = result.findings.filter((f) => f.file === 'deploy.yaml').map((f) => f.message);
    expect(about.length).toBeGreaterThan(0);
    expect(about.some((m) => m.includes('Deployment/helm-guestbook'))).toBe(true);
    expect(about.join('\n')).not.toContain('***');
    const text = toText(result);
    expect(text).toContain('Deployment/helm-guestbook');
    expect(text).not.toContain('Zq9Lm2Xv7Rt4Np8Kd3Wb');
  });

  it('judges credential-likeness: long, not a word, number, boolean or placeholder', () => {
    for (const v of [
      'true',
      'helm',
      'error',
      'postgres',
      'password',
      '12345678',
      '<token>',
      '${DB_PASSWORD}',
      '{{ .Values.pw }}',
      'xxxxxxxxxx',
      'Production',
    ])
      expect([v, isCredentialLike(v)]).toEqual([v, false]);
    for (const v of ['Zq9Lm2Xv7Rt4Np8Kd3Wb', 'hunter2hunter2!', 'p@ssw0rd-2024', 'ghp_abcdefghijklmnop1234'])
      expect([v, isCredentialLike(v)]).toEqual([v, true]);
  });
});

describe('USER values the build and the runtime read as root', () => {
  it('quoted, signed and uid:gid forms of root are root', () => {
    for (const v of ['root', '"root"', "'root'", '+0', '0:0', '"0:0"', '00', 'root:root'])
      expect([v, classifyUser(v)]).toEqual([v, 'root']);
    expect(classifyUser('10001')).toBe('numeric');
    expect(classifyUser('+10001')).toBe('numeric');
    expect(classifyUser('app')).toBe('named');
  });
});
