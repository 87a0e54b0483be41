// Writes docs/rules/*.md, schema/podguard.schema.json and the README rule table from the
// rule metadata (bundled on the fly from src/ with esbuild, the project's one bundler).
import { build } from 'esbuild';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tmpdir } from 'node:os';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(tmpdir(), `podguard-docs-${process.pid}.mjs`);
await build({
  absWorkingDir: ROOT,
  stdin: {
    contents: "export * from './src/docs.ts'; export { ALL_RULES } from './src/rules/index.ts';",
    resolveDir: ROOT,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: out,
  logLevel: 'warning',
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
});
const mod = await import(pathToFileURL(out).href);
rmSync(out);
const files = mod.generatedFiles(mod.ALL_RULES);
mkdirSync(join(ROOT, 'docs', 'rules'), { recursive: true });
for (const f of readdirSync(join(ROOT, 'docs', 'rules'))) {
  if (!files.has(`docs/rules/${f}`)) rmSync(join(ROOT, 'docs', 'rules', f));
}
for (const [path, content] of files) {
  mkdirSync(dirname(join(ROOT, path)), { recursive: true });
  writeFileSync(join(ROOT, path), content);
}
const readmePath = join(ROOT, 'README.md');
writeFileSync(readmePath, mod.withRulesTable(readFileSync(readmePath, 'utf8'), mod.ALL_RULES));
console.log(`docs: ${files.size} files and the README rule table`);
