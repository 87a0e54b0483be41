/**
 * JUnit XML for CI test tabs (Azure `PublishTestResults@2`, GitLab `artifacts:reports:junit`,
 * Jenkins `junit`): one test suite per file, one test case per file and rule; a case fails when
 * one of its findings is at or above the gate. Written a suite at a time (findings are sorted by
 * file), so a large scan never becomes one string.
 */
import { byFile, gates } from '../findings.js';
import type { ScanReport as ScanResult } from '../engine.js';
import type { FailOn, Finding } from '../types.js';
import { ruleDocUrl } from '../version.js';

/** Text as XML character data or attribute value: escaped, characters XML 1.0 forbids removed. */
export function xmlText(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- XML 1.0 forbids these characters outright
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** One file's findings grouped by rule, in rule-id order. */
function byRule(findings: readonly Finding[]): [string, Finding[]][] {
  const m = new Map<string, Finding[]>();
  for (const f of findings) m.set(f.ruleId, [...(m.get(f.ruleId) ?? []), f]);
  return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The findings JUnit reports by file, grouped by rule: suppressed ones never; baselined ones as passing notes. */
function* reported(result: ScanResult): Generator<[string, [string, Finding[]][]]> {
  for (const [file, found] of byFile(result.findings)) {
    const shown = found.filter((f) => !f.suppression);
    if (shown.length > 0) yield [file, byRule(shown)];
  }
}

/** JUnit XML in pieces: one `<testsuite>` per file. */
export function* junitChunks(result: ScanResult, failOn: FailOn): Generator<string> {
  const red = result.redactor;
  // Counts first (the root element carries them), one file at a time; then the suites.
  let tests = 0;
  let failures = 0;
  for (const [, groups] of reported(result)) {
    tests += groups.length;
    failures += groups.filter(([, fs]) => fs.some((f) => gates(f, failOn))).length;
  }
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  if (tests === 0) {
    yield `<testsuites name="podguard" tests="1" failures="0" errors="0" time="0">\n`;
    yield `  <testsuite name="podguard" tests="1" failures="0" errors="0" skipped="0" time="0">\n`;
    yield `    <testcase name="no findings" classname="podguard" time="0"/>\n`;
    yield '  </testsuite>\n</testsuites>\n';
    return;
  }
  yield `<testsuites name="podguard" tests="${tests}" failures="${failures}" errors="0" time="0">\n`;
  const titles = new Map(result.rules.map((r) => [r.meta.id, r.meta.title]));
  for (const [file, groups] of reported(result)) {
    const failed = groups.filter(([, fs]) => fs.some((f) => gates(f, failOn))).length;
    const out: string[] = [
      `  <testsuite name="${xmlText(file)}" tests="${groups.length}" failures="${failed}" errors="0" skipped="0" time="0">\n`,
    ];
    for (const [ruleId, fs] of groups) {
      const gating = fs.filter((f) => gates(f, failOn));
      const body = fs
        .map((f) => `${f.range.start.line}:${f.range.start.column} ${f.baselined ? 'note (baseline)' : f.level} ${red.redact(f.message)}`)
        .join('\n');
      const text = xmlText(`${body}\nDocs: ${ruleDocUrl(ruleId)}`);
      const name = xmlText(`${ruleId}: ${titles.get(ruleId) ?? ruleId}`);
      out.push(`    <testcase name="${name}" classname="${xmlText(file)}" file="${xmlText(file)}" time="0">\n`);
      if (gating.length) {
        const level = gating.some((f) => f.level === 'error') ? 'error' : gating.some((f) => f.level === 'warning') ? 'warning' : 'note';
        const message = xmlText(`${plural(gating.length, 'finding')} at or above ${failOn}: ${red.redact(gating[0]!.message)}`);
        out.push(`      <failure message="${message}" type="${level}">${text}</failure>\n`);
      } else {
        out.push(`      <system-out>${text}</system-out>\n`);
      }
      out.push('    </testcase>\n');
    }
    out.push('  </testsuite>\n');
    yield out.join('');
  }
  yield '</testsuites>\n';
}

/** JUnit XML as one string. */
export function junitText(result: ScanResult, failOn: FailOn): string {
  return [...junitChunks(result, failOn)].join('');
}
