// One bundler (esbuild) for the CLI, the GitHub Action and the Azure Pipelines task.
// Output is deterministic, so a test can rebuild into a temp dir and compare with dist/.
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// CommonJS dependencies bundled into an ES module still call require() for Node built-ins.
const REQUIRE_SHIM =
  "import { createRequire as __podguardCreateRequire } from 'node:module';\nconst require = __podguardCreateRequire(import.meta.url);";

// The CommonJS bundles find their worker through __filename; import.meta is empty there on purpose.
const CJS = { format: 'cjs', banner: {}, logOverride: { 'empty-import-meta': 'silent' } };

/** Every bundle: entry point and output file, relative to the project root. */
export const BUNDLES = [
  { entry: 'src/entry/cli.ts', out: 'dist/cli.js', shebang: true },
  { entry: 'src/entry/action.ts', out: 'dist/action.js' },
  // The Azure agent runs `node task/dist/index.js` from the task folder alone (no package.json
  // saying "module"), and the mock-test runner require()s it: CommonJS, no banner.
  { entry: 'src/entry/task.ts', out: 'task/dist/index.js', options: CJS },
  // Worker threads of large scans, beside each face's bundle (the engine looks for `worker.js`
  // next to itself). The CLI and the Action share dist/worker.js.
  { entry: 'src/entry/worker.ts', out: 'dist/worker.js' },
  { entry: 'src/entry/worker.ts', out: 'task/dist/worker.js', options: CJS },
];

/** Bundles every entry into `outRoot` (the project root by default). Returns the files written. */
export async function buildAll(outRoot = ROOT) {
  const written = [];
  for (const b of BUNDLES) {
    const result = await build({
      absWorkingDir: ROOT,
      entryPoints: [b.entry],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      write: false,
      legalComments: 'none',
      logLevel: 'warning',
      banner: { js: `${b.shebang ? '#!/usr/bin/env node\n' : ''}${REQUIRE_SHIM}` },
      outfile: join(outRoot, b.out),
      ...(b.options ?? {}),
    });
    for (const f of result.outputFiles) {
      mkdirSync(dirname(f.path), { recursive: true });
      writeFileSync(f.path, f.contents);
      written.push(f.path);
    }
  }
  return written;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = await buildAll();
  for (const f of files) console.log(`built ${f.slice(ROOT.length + 1)}`);
}
