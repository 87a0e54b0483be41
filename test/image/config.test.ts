/** Image policy configuration: a bad pattern or key is a clear error naming the key (exit code 2). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/platform/cli.js';
import type { CliIO } from '../../src/platform/cli.js';

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pg-imgcfg-'));
  for (const [p, c] of Object.entries(files)) writeFileSync(join(dir, p), c);
  return dir;
}

async function cli(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { cwd, env: {}, isTTY: false, stdout: (t) => (out += t), stderr: (t) => (err += t) };
  const code = await runCli(argv, io);
  return { code, out, err };
}

const POD = 'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n';

describe('image policy configuration', () => {
  it.each([
    ['allowedImages:\n  - mcr.microsoft.com/**\n  - nginx:1.27\n', /"allowedImages\.1" must not hold a tag/],
    ['deniedImages:\n  - Docker.io/library/centos\n', /"deniedImages\.0" must be lowercase/],
    ['allowedImages:\n  - "!mcr.microsoft.com"\n', /"allowedImages\.0" may only use/],
    ['allowedImages: mcr.microsoft.com/**\n', /"allowedImages" must be a list \(got a string\)/],
    ['allowedImage:\n  - mcr.microsoft.com/**\n', /unknown key "allowedImage" \(did you mean "allowedImages"\?\)/],
    ['requireDigest: "yes"\n', /"requireDigest" must be true or false \(got a string\)/],
  ])('rejects %j with exit code 2', async (config, message) => {
    const root = repo({ '.podguard.yml': config, 'pod.yaml': POD });
    const r = await cli(root, 'scan', '.');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^podguard: \.podguard\.yml(:\d+)?: /);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
  });

  it('rejects a bad --allow-image pattern with exit code 2', async () => {
    const r = await cli(repo({ 'pod.yaml': POD }), 'scan', '.', '--allow-image', 'mcr.microsoft.com/dotnet/aspnet:8.0');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--allow-image "mcr\.microsoft\.com\/dotnet\/aspnet:8\.0" must not hold a tag/);
  });

  it('applies --allow-image on top of the configuration file, deny list first', async () => {
    const root = repo({ '.podguard.yml': 'deniedImages: [docker.io/library/nginx]\n', 'pod.yaml': POD });
    const r = await cli(root, 'scan', '.', '--allow-image', 'docker.io/**', '--format', 'json');
    expect(r.code).toBe(1);
    const found = (JSON.parse(r.out) as { findings: { ruleId: string; messageId: string }[] }).findings;
    expect(found.filter((f) => f.ruleId === 'image-not-allowed').map((f) => f.messageId)).toEqual(['denied']);
  });

  it('says in `podguard rules` when the allowlist rule is silent', async () => {
    const r = await cli(repo({}), 'rules');
    expect(r.out).toMatch(/image-not-allowed .*\(Silent unless allowedImages or deniedImages is configured/);
  });
});

describe('rule levels in .podguard.yml', () => {
  it('reads a bare `off` (false in YAML 1.1) as the level off', async () => {
    const root = repo({ '.podguard.yml': 'rules:\n  image-tag: off\n  image-not-allowed:\n    level: off\n', 'pod.yaml': POD });
    const r = await cli(root, 'scan', '.', '--allow-image', 'mcr.microsoft.com/**', '--format', 'json');
    const found = (JSON.parse(r.out) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId);
    expect(found).not.toContain('image-tag');
    expect(found).not.toContain('image-not-allowed');
    expect(found).toContain('run-as-root');
  });
});
