/**
 * `podguard policy test POLICIES FIXTURES`: runs admission policies against fixture manifests,
 * offline, and compares each object's outcome with the one its `podguard.dev/expect` annotation
 * names, the way a `kubectl apply --dry-run=server` against a cluster with the policies would
 * answer. Policy authors run it in their own CI; a mismatch exits 1.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { collect } from '../collect/collect.js';
import { scan } from '../engine.js';
import { k8sObjects } from '../parse/kubernetes.js';
import { asMap, asText, get, parseYaml } from '../parse/yaml.js';
import { safeErrorText } from '../redact.js';
import { ALL_RULES } from '../rules/index.js';
import { ConfigurationError } from '../types.js';
import type { Finding, Level } from '../types.js';

/** The annotation naming what admission of a fixture object should answer. */
export const EXPECT_ANNOTATION = 'podguard.dev/expect';

const OUTCOME: Record<Level, string> = { error: 'deny', warning: 'warn', note: 'audit' };

interface Fixture {
  file: string;
  label: string;
  startLine: number;
  endLine: number;
  expect: string | undefined;
}

/** What a test run found: a line per object, and whether every expectation held. */
export interface PolicyTestResult {
  lines: string[];
  passed: number;
  failed: number;
}

/**
 * Parses an expectation: `allow`, or a comma-separated list of `deny`, `warn` or `audit`, each
 * optionally naming the policy (`deny:replica-limit`). Returns undefined when it is malformed.
 */
export function parseExpectation(text: string): { outcome: string; policy: string | undefined }[] | undefined {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 1 && parts[0] === 'allow') return [];
  const out: { outcome: string; policy: string | undefined }[] = [];
  for (const p of parts) {
    const m = /^(deny|warn|audit)(?::([a-z0-9]([-a-z0-9.]*[a-z0-9])?))?$/.exec(p);
    if (!m) return undefined;
    out.push({ outcome: m[1]!, policy: m[2] });
  }
  return out.length > 0 ? out : undefined;
}

function judge(expect: string, actual: Set<string>): string | undefined {
  const wanted = parseExpectation(expect);
  if (!wanted) return `the ${EXPECT_ANNOTATION} annotation must be allow, or deny, warn or audit (optionally :<policy>), comma-separated`;
  const got = [...actual].sort();
  const covered = (a: string): boolean =>
    wanted.some((w) => a === `${w.outcome}:${w.policy}` || (!w.policy && a.startsWith(`${w.outcome}:`)));
  for (const w of wanted) {
    if (!got.some((a) => (w.policy ? a === `${w.outcome}:${w.policy}` : a.startsWith(`${w.outcome}:`)))) {
      return `expected ${w.outcome}${w.policy ? ` by ${w.policy}` : ''}, got ${got.length ? got.join(', ') : 'allow'}`;
    }
  }
  const extra = got.filter((a) => !covered(a));
  return extra.length ? `expected ${expect}, also got ${extra.join(', ')}` : undefined;
}

function fixturesIn(relPath: string, text: string): Fixture[] {
  const parsed = parseYaml(text);
  const lineOf = (offset: number): number => text.slice(0, offset).split('\n').length;
  return k8sObjects(parsed.docs).map((o) => {
    const annotations = asMap(get(asMap(get(o.node, 'metadata')), 'annotations'));
    return {
      file: relPath,
      label: o.label,
      startLine: lineOf(o.node.start),
      endLine: lineOf(o.node.end),
      expect: asText(get(annotations, EXPECT_ANNOTATION)),
    };
  });
}

/** Runs the policies at `policyPath` against the manifests at `fixturesPath` (both relative to `root`). */
export async function policyTest(root: string, policyPath: string, fixturesPath: string): Promise<PolicyTestResult> {
  const off = Object.fromEntries(ALL_RULES.filter((r) => !r.meta.system).map((r) => [r.meta.id, 'off']));
  const result = await scan({
    root,
    paths: [fixturesPath],
    config: { admissionPolicies: [policyPath], rules: off },
    baseline: false,
    threads: 1,
  });
  const { candidates } = await collect({ root, paths: [fixturesPath], exclude: [] });
  const lines: string[] = [];
  let passed = 0;
  let failed = 0;
  const byFile = new Map<string, Finding[]>();
  for (const f of result.findings) {
    if (f.suppression) continue;
    if (!f.ruleId.startsWith('policy/') || f.identity.startsWith('policy ')) {
      // Problems of a policy itself, and files that could not be read: the test cannot be trusted.
      lines.push(`${f.level === 'note' ? 'note' : 'FAIL'} ${f.file}:${f.range.start.line} ${f.ruleId}: ${f.message}`);
      if (f.level !== 'note') failed++;
      continue;
    }
    const list = byFile.get(f.file) ?? [];
    list.push(f);
    byFile.set(f.file, list);
  }
  for (const c of candidates) {
    let text: string;
    try {
      text = readFileSync(c.absPath, 'utf8');
    } catch (err) {
      throw new ConfigurationError(`${c.relPath} cannot be read (${safeErrorText(err)})`);
    }
    for (const fx of fixturesIn(c.relPath, text)) {
      if (['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'].includes(fx.label.split('/')[0]!)) continue;
      const mine = (byFile.get(fx.file) ?? []).filter((f) => f.range.start.line >= fx.startLine && f.range.start.line <= fx.endLine);
      const actual = new Set(mine.map((f) => `${OUTCOME[f.level]}:${f.ruleId.slice('policy/'.length)}`));
      const where = `${fx.file}:${fx.startLine} ${fx.label}`;
      if (fx.expect === undefined) {
        lines.push(`SKIP ${where}: no ${EXPECT_ANNOTATION} annotation`);
        continue;
      }
      const problem = judge(fx.expect, actual);
      if (problem) {
        failed++;
        lines.push(`FAIL ${where}: ${problem}`);
        for (const f of mine) lines.push(`       line ${f.range.start.line}: ${f.message}`);
      } else {
        passed++;
        lines.push(`ok   ${where}: ${fx.expect}`);
      }
    }
  }
  if (passed + failed === 0) {
    failed++;
    lines.push(`FAIL no fixture object under ${fixturesPath} has a ${EXPECT_ANNOTATION} annotation`);
  }
  return { lines, passed, failed };
}

/** The `policy` command of the CLI: `policy test POLICIES FIXTURES`. Returns the exit code. */
export async function runPolicyCommand(args: readonly string[], cwd: string, stdout: (s: string) => void): Promise<number> {
  const [sub, policyPath, fixturesPath, ...rest] = args;
  if (sub !== 'test' || !policyPath || !fixturesPath || rest.length > 0) {
    throw new ConfigurationError('usage: podguard policy test POLICY_PATH FIXTURES_PATH');
  }
  const r = await policyTest(resolve(cwd), policyPath, fixturesPath);
  stdout(`${r.lines.join('\n')}\n${r.passed} passed, ${r.failed} failed\n`);
  return r.failed > 0 ? 1 : 0;
}
