/**
 * RuleTester-style fixtures. Each rule has `test/rules/<rule-id>/valid/` and `invalid/`; an
 * entry is a file or a directory (scanned as one repository). Invalid files state what must be
 * found in comment lines:
 *
 *   # expect: <messageId>@<line>:<column> <level>        (the folder's rule)
 *   # expect: <rule-id>/<messageId>@<line>:<column> <level>
 *
 * JSON fixtures keep these lines in a sidecar `<file>.expect`. A fixture may carry an inline
 * configuration as `# podguard-config: {json}` (or `.podguard.yml` inside a directory fixture).
 * Suppressed findings are not "found": they are left out of the comparison of an invalid
 * fixture. The checks below reject fixtures that cannot fail: a valid fixture whose own rule is
 * off or suppressed, an invalid fixture that expects nothing of its own rule, an expectation
 * without column or level. `scripts/fill-expectations.mjs` upgrades old short expectations.
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { scan } from '../../src/engine.js';
import type { ScanResult } from '../../src/engine.js';
import type { Finding, Level } from '../../src/types.js';

/** One expected finding. */
export interface Expectation {
  file: string;
  ruleId: string;
  messageId: string;
  line: number;
  column?: number;
  level?: Level;
}

const EXPECT = /#\s*expect:\s*(?:([a-z0-9-]+)\/)?([A-Za-z0-9_]+)@(\d+)(?::(\d+))?(?:\s+(error|warning|note))?/g;
const CONFIG = /#\s*podguard-config:\s*(\{.*\})\s*$/m;

/** Files of a fixture entry (the file itself or every file under the directory). */
export function fixtureFiles(entry: string): string[] {
  if (!statSync(entry).isDirectory()) return [entry];
  const out: string[] = [];
  for (const name of readdirSync(entry).sort()) {
    const p = join(entry, name);
    if (statSync(p).isDirectory()) out.push(...fixtureFiles(p));
    else out.push(p);
  }
  return out;
}

/** Expectations declared in a fixture entry for `defaultRule`. */
export function expectations(entry: string, defaultRule: string): Expectation[] {
  const base = statSync(entry).isDirectory() ? entry : dirname(entry);
  const out: Expectation[] = [];
  for (const f of fixtureFiles(entry)) {
    if (f.endsWith('.expect')) continue;
    const sidecar = `${f}.expect`;
    const text = readFileSync(existsSync(sidecar) ? sidecar : f, 'utf8');
    for (const m of text.matchAll(EXPECT)) {
      out.push({
        file: relative(base, f).split('\\').join('/'),
        ruleId: m[1] ?? defaultRule,
        messageId: m[2]!,
        line: Number(m[3]),
        ...(m[4] ? { column: Number(m[4]) } : {}),
        ...(m[5] ? { level: m[5] as Level } : {}),
      });
    }
  }
  return out;
}

/** Fixtures scan on a fixed day, so `until=` dates in them never start failing with time. */
export const FIXTURE_TODAY = '2026-12-01';

/** Scans a fixture entry the way a user would scan a repository. */
export async function scanFixture(entry: string): Promise<ScanResult> {
  const isDir = statSync(entry).isDirectory();
  const root = isDir ? entry : dirname(entry);
  let config: unknown;
  if (!isDir) {
    const m = CONFIG.exec(readFileSync(entry, 'utf8'));
    if (m) config = JSON.parse(m[1]!);
  }
  return scan({ root, paths: [isDir ? '.' : basename(entry)], today: FIXTURE_TODAY, ...(config !== undefined ? { config } : {}) });
}

/** A finding in the comparable shape of an expectation. */
export function asExpectation(f: Finding, withColumn: boolean, withLevel: boolean): string {
  return `${f.file} ${f.ruleId}/${f.messageId}@${f.range.start.line}${withColumn ? `:${f.range.start.column}` : ''}${withLevel ? ` ${f.level}` : ''}`;
}

/** Expectation rendered the same way. */
export function expectationKey(e: Expectation): string {
  return `${e.file} ${e.ruleId}/${e.messageId}@${e.line}${e.column !== undefined ? `:${e.column}` : ''}${e.level ? ` ${e.level}` : ''}`;
}

/** The fixture entries of a rule folder. */
export function entries(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => !n.endsWith('.expect'))
    .sort()
    .map((n) => join(dir, n));
}

/** Whether the fixture's configuration or profile turns `ruleId` off (engine rules are not in `enabledRules`). */
function ruleIsOff(result: ScanResult, ruleId: string): boolean {
  if (result.enabledRules.includes(ruleId)) return false;
  const rule = result.rules.find((r) => r.meta.id === ruleId);
  if (!rule?.meta.system) return true;
  const level = result.settings.rules[ruleId]?.level;
  if (level) return level === 'off';
  return result.settings.profile === 'baseline' && rule.meta.profile === 'restricted';
}

/** Why a valid fixture of `ruleId` fails (empty: it passes). */
export function validProblems(ruleId: string, result: ScanResult): string[] {
  const problems: string[] = [];
  if (ruleIsOff(result, ruleId)) problems.push(`${ruleId} is off in this fixture: it passes whatever the rule does`);
  for (const f of result.findings) {
    if (f.ruleId !== ruleId) continue;
    const key = asExpectation(f, true, true);
    problems.push(
      f.suppression ? `suppressed finding (a valid fixture must not need a suppression): ${key}` : `unexpected finding: ${key}`,
    );
  }
  return problems;
}

/** Why the expectations of an invalid fixture of `ruleId` are not acceptable (empty: they are). */
export function expectationProblems(ruleId: string, expected: readonly Expectation[]): string[] {
  const problems: string[] = [];
  if (!expected.some((e) => e.ruleId === ruleId)) problems.push(`no expectation names ${ruleId}: the fixture does not test its own rule`);
  for (const e of expected) {
    if (e.column === undefined || e.level === undefined) problems.push(`expectation without column and level: ${expectationKey(e)}`);
  }
  return problems;
}

/** What an invalid fixture's scan found, in the rules its expectations name, unsuppressed. */
export function foundKeys(result: ScanResult, expected: readonly Expectation[]): string[] {
  const rulesInPlay = new Set(expected.map((e) => e.ruleId));
  return result.findings
    .filter((f) => rulesInPlay.has(f.ruleId) && !f.suppression)
    .map((f) => asExpectation(f, true, true))
    .sort();
}
