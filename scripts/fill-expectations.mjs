// Upgrades short `# expect:` lines (and `.expect` sidecars) of the rule fixtures to carry the
// column and level the scan actually reports: `# expect: id@12` -> `# expect: id@12:7 error`.
// Only where the file, rule, message id and line (and a column already written) match a finding
// exactly; an expectation with no such finding, or with several findings it could mean, is left
// as it is and listed, for a person to fix. Files are read and written byte for byte (latin1), so
// fixtures in other encodings keep their bytes. Re-run after merging branches that add fixtures:
//   node scripts/fill-expectations.mjs [test/rules/<rule-id> ...]
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RULES = join(ROOT, 'test/rules');
const EXPECT = /(#\s*expect:\s*)(?:([a-z0-9-]+)\/)?([A-Za-z0-9_]+)@(\d+)(?::(\d+))?(?:\s+(error|warning|note))?/g;
const REQUIRE_SHIM = "import { createRequire as __c } from 'node:module';\nconst require = __c(import.meta.url);";

/** The fixture helper (TypeScript, with the engine) bundled once, so this script runs on plain node. */
async function loadHelper() {
  const dir = mkdtempSync(join(tmpdir(), 'pg-fill-'));
  const outfile = join(dir, 'fixtures.mjs');
  await build({
    absWorkingDir: ROOT,
    entryPoints: ['test/helpers/fixtures.ts'],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    outfile,
    logLevel: 'warning',
    banner: { js: REQUIRE_SHIM },
  });
  const mod = await import(pathToFileURL(outfile).href);
  return { mod, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Rewrites one expectation source; returns the new text and what could not be filled. */
function fill(text, file, defaultRule, findings, left) {
  return text.replace(EXPECT, (whole, head, rule, messageId, line, column, level) => {
    if (column !== undefined && level !== undefined) return whole;
    const ruleId = rule ?? defaultRule;
    const candidates = findings.filter(
      (f) =>
        f.file === file &&
        f.ruleId === ruleId &&
        f.messageId === messageId &&
        f.range.start.line === Number(line) &&
        (column === undefined || f.range.start.column === Number(column)) &&
        (level === undefined || f.level === level),
    );
    const distinct = new Map(candidates.map((f) => [`${f.range.start.column} ${f.level}`, f]));
    if (distinct.size !== 1) {
      left.push(`${file}: ${whole.slice(head.length)} (${distinct.size === 0 ? 'no finding matches' : 'several findings match'})`);
      return whole;
    }
    const f = [...distinct.values()][0];
    return `${head}${rule ? `${rule}/` : ''}${messageId}@${line}:${f.range.start.column} ${f.level}`;
  });
}

const { mod, cleanup } = await loadHelper();
const { entries, fixtureFiles, scanFixture } = mod;
const targets = process.argv.slice(2).length
  ? process.argv.slice(2).map((p) => resolve(p))
  : readdirSync(RULES, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => join(RULES, d.name));

let changedFiles = 0;
const left = [];
try {
  for (const ruleDir of targets.sort()) {
    const ruleId = relative(RULES, ruleDir).split(/[\\/]/)[0];
    for (const entry of entries(join(ruleDir, 'invalid'))) {
      const result = await scanFixture(entry);
      const findings = result.findings.filter((f) => !f.suppression);
      const isDir = fixtureFiles(entry).length !== 1 || fixtureFiles(entry)[0] !== entry;
      const base = isDir ? entry : dirname(entry);
      for (const f of fixtureFiles(entry)) {
        if (f.endsWith('.expect')) continue;
        const source = existsSync(`${f}.expect`) ? `${f}.expect` : f;
        const before = readFileSync(source, 'latin1');
        const after = fill(before, relative(base, f).split('\\').join('/'), ruleId, findings, left);
        if (after !== before) {
          writeFileSync(source, after, 'latin1');
          changedFiles++;
          console.log(`filled ${relative(ROOT, source)}`);
        }
      }
    }
  }
} finally {
  cleanup();
}
console.log(`${changedFiles} file(s) upgraded`);
if (left.length) {
  console.log(`${left.length} expectation(s) left short (fix by hand):`);
  for (const l of left) console.log(`  ${l}`);
  process.exitCode = 1;
}
