// Records or compares what `node dist/cli.js scan examples/` writes as JSON and SARIF (run times
// stripped), to show a refactoring left the output byte-identical.
//
//   node scripts/same-output.mjs --record DIR   write DIR/examples.json and DIR/examples.sarif
//   node scripts/same-output.mjs DIR            compare against them (exit 1 on a difference)
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Buffer } from 'node:buffer';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli.js');

/** The CLI's output for one format, with SARIF's invocation times blanked. */
export function scanOutput(format, target = 'examples/') {
  const r = spawnSync(process.execPath, [CLI, 'scan', target, '--format', format, '--fail-on', 'never'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`podguard scan --format ${format} exited ${r.status}`);
  return r.stdout.replace(/"(startTimeUtc|endTimeUtc)": *"[^"]*"/g, '"$1": "T"');
}

const outputs = () => ({ 'examples.json': scanOutput('json'), 'examples.sarif': scanOutput('sarif') });

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const record = process.argv[2] === '--record';
  const dir = resolve(process.argv[record ? 3 : 2] ?? '');
  if (!process.argv[record ? 3 : 2]) {
    console.error('usage: node scripts/same-output.mjs [--record] DIR');
    process.exit(2);
  }
  let same = true;
  for (const [name, text] of Object.entries(outputs())) {
    if (record) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, name), text);
      console.log(`recorded ${name}: ${Buffer.byteLength(text)} bytes`);
    } else {
      const before = readFileSync(join(dir, name));
      const now = Buffer.from(text, 'utf8');
      const ok = before.equals(now);
      same &&= ok;
      console.log(`${name}: ${ok ? 'byte-identical' : 'DIFFERS'} (${before.length} -> ${now.length} bytes)`);
    }
  }
  process.exitCode = same ? 0 : 1;
}
