/** Output files in a checkout a pull request wrote: planted links are replaced, never followed. */
import { lstatSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/platform/cli.js';
import { UnsafeOutputError, writeOutputFile } from '../../src/report/safe-write.js';

const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n';

function victim(): string {
  const f = join(mkdtempSync(join(tmpdir(), 'pg-victim-')), 'authorized_keys');
  writeFileSync(f, 'ssh-ed25519 AAAA runner\n');
  return f;
}

describe('output files', () => {
  it('a podguard.sarif link planted in the PR is replaced by the report; its target is untouched', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pg-out-'));
    writeFileSync(join(root, 'pod.yaml'), POD);
    const target = victim();
    symlinkSync(target, join(root, 'podguard.sarif'));
    symlinkSync(target, join(root, 'baseline.json'));
    const io = { cwd: root, env: {}, isTTY: false, stdout: () => undefined, stderr: () => undefined };
    await runCli(['scan', '--sarif', 'podguard.sarif'], io);
    await runCli(['scan', '--write-baseline', 'baseline.json'], io);
    expect(readFileSync(target, 'utf8')).toBe('ssh-ed25519 AAAA runner\n');
    for (const f of ['podguard.sarif', 'baseline.json']) {
      expect(lstatSync(join(root, f)).isSymbolicLink()).toBe(false);
      expect(() => JSON.parse(readFileSync(join(root, f), 'utf8')) as unknown).not.toThrow();
    }
  });

  it('a target outside the allowed roots, also through a directory link, is refused', () => {
    const root = mkdtempSync(join(tmpdir(), 'pg-out-'));
    const elsewhere = mkdtempSync(join(tmpdir(), 'pg-elsewhere-'));
    symlinkSync(elsewhere, join(root, 'reports'));
    expect(() => writeOutputFile(join(root, 'reports', 'x.sarif'), '{}', [root])).toThrow(UnsafeOutputError);
    expect(() => writeOutputFile(join(elsewhere, 'x.sarif'), '{}', [root])).toThrow(UnsafeOutputError);
    writeOutputFile(join(root, 'sub', 'x.sarif'), ['{', '}'], [root], true);
    expect(readFileSync(join(root, 'sub', 'x.sarif'), 'utf8')).toBe('{}');
  });
});
