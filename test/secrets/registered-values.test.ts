/** Which values the secret rules hand to the redactor: credentials only, never settings or published defaults. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scan } from '../../src/engine.js';

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pg-registered-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('values registered for redaction', () => {
  it('leaves the settings of a settings-only Secret and well-known default passwords alone', async () => {
    const root = repo({
      'repo.yaml':
        'apiVersion: v1\nkind: Secret\nmetadata: { name: helm-repo }\nstringData:\n  type: helm\n  url: https://charts.example.com\n  insecure: "true"\n',
      'compose.yaml': 'services:\n  db:\n    image: postgres:16.4\n    environment:\n      POSTGRES_PASSWORD: postgres\n',
    });
    const result = await scan({ root, paths: ['.'] });
    expect(result.findings.map((f) => `${f.ruleId}/${f.messageId}`).sort()).toEqual(
      expect.arrayContaining(['secret-env-literal/compose', 'secret-kubernetes-settings/settings']),
    );
    for (const word of ['helm', 'true', 'postgres', 'https://charts.example.com']) expect(result.redactor.secrets).not.toContain(word);
    // The message about the image still names it in full.
    expect(result.findings.find((f) => f.ruleId === 'image-digest')?.message).toContain('postgres:16.4');
  });

  it('registers every credential of a Secret in each spelling, and not the settings beside them', async () => {
    const password = 'Tr0ub4dor-3-horse-battery';
    const root = repo({
      'repo.yaml': `apiVersion: v1\nkind: Secret\nmetadata: { name: git-repo }\nstringData:\n  type: git\n  url: https://github.com/org/app.git\n  password: ${password}\n`,
    });
    const result = await scan({ root, paths: ['.'] });
    const found = result.findings.filter((f) => f.ruleId === 'secret-kubernetes-secret');
    expect(found.map((f) => f.messageId)).toEqual(['credentials']);
    expect(found[0]!.message).not.toContain(password);
    expect(found[0]!.message).toContain('type, url, password');
    expect(result.redactor.secrets).toContain(password);
    expect(result.redactor.secrets).not.toContain('git');
  });
});
