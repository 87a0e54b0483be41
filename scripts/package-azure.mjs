// Packages the Azure DevOps extension (vss-extension.json + task/) into a .vsix with tfx-cli.
// Usage: node scripts/package-azure.mjs [OUTPUT.vsix]   (default: podguard-<version>.vsix)
// Run `npm run build` first: the task bundle task/dist/index.js must be current.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Builds the .vsix at `out` (absolute or relative to the working directory); resolves its path. */
export function packageAzure(out) {
  const manifest = JSON.parse(readFileSync(resolve(ROOT, 'vss-extension.json'), 'utf8'));
  const target = resolve(out ?? resolve(ROOT, `podguard-${manifest.version}.vsix`));
  for (const f of ['task/dist/index.js', 'task/dist/worker.js', 'LICENSE'])
    if (!existsSync(resolve(ROOT, f))) throw new Error(`${f} is missing: run npm run build`);
  const tfx = createRequire(import.meta.url).resolve('tfx-cli/_build/tfx-cli.js');
  const args = [tfx, 'extension', 'create', '--root', ROOT, '--manifest-globs', 'vss-extension.json'];
  args.push('--output-path', target, '--no-prompt', '--no-color');
  return new Promise((resolvePromise, reject) => {
    execFile(process.execPath, args, { cwd: ROOT, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`tfx extension create failed: ${(stderr || stdout || err.message).trim()}`));
      else resolvePromise(target);
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = await packageAzure(process.argv[2]);
  console.log(`packaged ${file}`);
}
