/**
 * Admission policies (ValidatingAdmissionPolicy) as podguard rules: every fixture case under
 * test/policy/<case>/ (policies/ and manifests/ with podguard.dev/expect annotations) through
 * `policyTest`, then exact locations, levels, policy problems, suppressions, baselines, rule
 * configuration, SARIF, the CLI and worker threads.
 */
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baselineText } from '../../src/baseline/baseline.js';
import { scan } from '../../src/engine.js';
import type { ScanResult } from '../../src/engine.js';
import { runCli } from '../../src/platform/cli.js';
import { compile } from '../../src/policy/cel.js';
import { locatorOf } from '../../src/policy/compile.js';
import { resourceOf } from '../../src/policy/match.js';
import { parseQuantity } from '../../src/policy/quantity.js';
import { policyText } from '../../src/policy/rules.js';
import { parseExpectation, policyTest } from '../../src/platform/policy-test.js';
import { sarifText } from '../../src/report/sarif.js';
import { ALL_RULES } from '../../src/rules/index.js';
import type { Finding } from '../../src/types.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const WORKER = join(ROOT, 'dist/worker.js');
const OFF = Object.fromEntries(ALL_RULES.filter((r) => !r.meta.system).map((r) => [r.meta.id, 'off']));

async function policyScan(name: string, extra: Record<string, unknown> = {}): Promise<ScanResult> {
  return scan({ root: join(HERE, name), config: { admissionPolicies: ['policies'], rules: OFF, ...extra }, threads: 1, baseline: false });
}

function policyFindings(r: ScanResult): Finding[] {
  return r.findings.filter((f) => f.ruleId.startsWith('policy/'));
}

function brief(f: Finding): string {
  return `${f.file}:${f.range.start.line}:${f.range.start.column} ${f.ruleId} ${f.level} ${f.messageId}`;
}

describe('fixture cases through podguard policy test', () => {
  it.each(['replicas', 'images', 'actions', 'matching', 'failure', 'libraries', 'k8slibs', 'quantity', 'params'])(
    '%s: every expectation holds',
    async (name) => {
      const r = await policyTest(join(HERE, name), 'policies', 'manifests');
      expect(r.lines.filter((l) => l.startsWith('FAIL'))).toEqual([]);
      expect(r.failed).toBe(0);
      expect(r.passed).toBeGreaterThan(1);
    },
  );

  it('fails on a policy podguard cannot evaluate and on a wrong expectation', async () => {
    const r = await policyTest(join(HERE, 'unsupported'), 'policies', 'manifests');
    expect(r.failed).toBe(2);
    const dir = mkdtempSync(join(tmpdir(), 'pg-policy-'));
    try {
      mkdirSync(join(dir, 'p'));
      mkdirSync(join(dir, 'f'));
      writeFileSync(join(dir, 'p/p.yaml'), POLICY('replicas-max', 'object.spec.replicas <= 2', '[Deny]'));
      writeFileSync(join(dir, 'f/d.yaml'), DEPLOYMENT('d', 5, 'allow'));
      const bad = await policyTest(dir, 'p', 'f');
      expect(bad.failed).toBe(1);
      expect(bad.lines[0]).toMatch(/^FAIL f\/d\.yaml:1 Deployment\/d: expected allow, also got deny:replicas-max/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('parses expectations', () => {
    expect(parseExpectation('allow')).toEqual([]);
    expect(parseExpectation('deny:a.b, warn')).toEqual([
      { outcome: 'deny', policy: 'a.b' },
      { outcome: 'warn', policy: undefined },
    ]);
    expect(parseExpectation('reject')).toBeUndefined();
    expect(parseExpectation('')).toBeUndefined();
  });
});

describe('findings of admission policies', () => {
  it('reports a simple field path at its key, with the messageExpression', async () => {
    const r = await policyScan('replicas');
    expect(policyFindings(r).map(brief)).toEqual([
      'manifests/deployments.yaml:9:3 policy/replica-limit error violation',
      'manifests/deployments.yaml:40:3 policy/replica-limit error violation',
    ]);
    expect(policyFindings(r)[0]!.message).toBe('replicas must be no greater than 3');
    expect(policyFindings(r)[0]!.properties).toEqual({ binding: 'replica-limit-test', action: 'error', reason: 'Invalid', validation: 0 });
  });

  it('reports an all() over containers at each offending container', async () => {
    const r = await policyScan('images');
    expect(policyFindings(r).map((f) => `${brief(f)} ${f.message}`)).toEqual([
      'manifests/pods.yaml:11:7 policy/image-registry error violation pod images must come from registry.example.com',
      'manifests/pods.yaml:14:1 policy/image-registry error violation the latest tag is not allowed (1 containers)',
    ]);
  });

  it('gives Warn bindings warnings and Audit bindings notes; auditAnnotations and unbound policies are notes on the policy', async () => {
    const r = await policyScan('actions');
    expect(policyFindings(r).map(brief)).toEqual([
      'manifests/objects.yaml:3:1 policy/team-label warning violation',
      'manifests/objects.yaml:5:3 policy/owner-annotation note violation',
      'policies/labels.yaml:15:3 policy/team-label note auditIgnored',
      'policies/labels.yaml:54:3 policy/never-bound note unbound',
    ]);
  });

  it('makes an evaluation error a finding under failurePolicy Fail and a note under Ignore', async () => {
    const r = await policyScan('failure');
    expect(policyFindings(r).map(brief)).toEqual([
      'manifests/services.yaml:1:1 policy/strict-ports error evalError',
      'manifests/services.yaml:1:1 policy/lenient-ports note evalError',
      'manifests/services.yaml:20:7 policy/lenient-ports error violation',
      'manifests/services.yaml:20:7 policy/strict-ports error violation',
    ]);
    expect(policyFindings(r)[0]!.message).toMatch(
      /^validation 0 of admission policy strict-ports could not be evaluated \(.+\); failurePolicy Fail$/,
    );
  });

  it('evaluates the list, string, regex and validator libraries', async () => {
    const r = await policyScan('libraries');
    const bad = policyFindings(r);
    expect(bad).toHaveLength(12);
    expect(new Set(bad.map((f) => f.properties?.validation))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]));
    expect(bad.every((f) => f.range.start.line > 17)).toBe(true);
  });

  it('evaluates quantities exactly, per container', async () => {
    const r = await policyScan('quantity');
    expect(policyFindings(r).map((f) => `${brief(f)} ${f.message}`)).toEqual([
      'manifests/pods.yaml:30:7 policy/memory-ceiling error violation containers stay at or under 1Gi of memory',
      'manifests/pods.yaml:30:7 policy/memory-ceiling error violation containers stay under two CPUs',
    ]);
  });

  it('says which function is not supported, on the policy, and never passes silently', async () => {
    const r = await policyScan('unsupported');
    expect(policyFindings(r).map((f) => `${brief(f)} ${f.message}`)).toEqual([
      'policies/unsupported.yaml:13:7 policy/registry-host error unsupported spec.validations.0.expression uses function jsonpatch.escapeKey(), which podguard does not support: the expression is not evaluated, and objects are not checked by it',
      'policies/unsupported.yaml:15:7 policy/registry-host error unsupported spec.validations.1.expression uses function allowed(), function check(), variable authorizer, which podguard does not support: the expression is not evaluated, and objects are not checked by it',
    ]);
  });

  it('reports a missing param object under parameterNotFoundAction Deny', async () => {
    const r = await policyScan('params');
    expect(policyFindings(r).map(brief)).toEqual([
      'manifests/claims.yaml:19:3 policy/allowed-classes error violation',
      'manifests/claims.yaml:21:1 policy/allowed-classes error paramNotFound',
    ]);
    expect(policyFindings(r)[0]!.message).toBe('storage class azurefile is not one of managed-csi,managed-csi-premium');
  });
});

const POLICY = (name: string, expression: string, actions: string): string => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: ${name}
spec:
  matchConstraints:
    resourceRules:
      - apiGroups: ["apps"]
        apiVersions: ["v1"]
        operations: ["CREATE"]
        resources: ["deployments"]
  validations:
    - expression: "${expression}"
      message: too many replicas
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: ${name}
spec:
  policyName: ${name}
  validationActions: ${actions}
`;

const DEPLOYMENT = (name: string, replicas: number, expect?: string, comment = ''): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
${expect ? `  annotations:\n    podguard.dev/expect: ${expect}\n` : ''}spec:
${comment}  replicas: ${replicas}
`;

describe('admission policy rules in the engine', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pg-policy-'));
    mkdirSync(join(dir, 'policies'));
    writeFileSync(join(dir, 'policies/limit.yaml'), POLICY('replicas-max', 'object.spec.replicas <= 2', '[Deny]'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (config: Record<string, unknown> = {}, extra: Partial<Parameters<typeof scan>[0]> = {}): Promise<ScanResult> =>
    scan({ root: dir, config: { admissionPolicies: ['policies'], rules: OFF, ...config }, threads: 1, today: '2026-12-01', ...extra });

  it('honours podguard-ignore policy/<name> with a reason', async () => {
    writeFileSync(join(dir, 'd.yaml'), DEPLOYMENT('d', 5, undefined, '  # podguard-ignore policy/replicas-max -- load test\n'));
    const r = await run();
    const f = policyFindings(r);
    expect(f).toHaveLength(1);
    expect(f[0]!.suppression).toEqual({ kind: 'inSource', justification: 'load test' });
    expect(r.findings.filter((x) => x.ruleId === 'unused-suppression' || x.ruleId === 'invalid-suppression')).toEqual([]);
  });

  it('takes levels from rules.policy/<name> and turns the rule off', async () => {
    writeFileSync(join(dir, 'd.yaml'), DEPLOYMENT('d', 5));
    expect(policyFindings(await run({ rules: { ...OFF, 'policy/replicas-max': 'warning' } })).map((f) => f.level)).toEqual(['warning']);
    expect(policyFindings(await run({ rules: { ...OFF, 'policy/replicas-max': 'off' } }))).toEqual([]);
  });

  it('knows its findings from a baseline', async () => {
    writeFileSync(join(dir, 'd.yaml'), DEPLOYMENT('d', 5));
    const first = await run();
    writeFileSync(join(dir, 'baseline.json'), baselineText(first.findings));
    const again = await run({}, { baseline: 'baseline.json' });
    expect(policyFindings(again).map((f) => f.baselined)).toEqual([true]);
  });

  it('describes the policy as a SARIF rule with the policy page as help', async () => {
    writeFileSync(join(dir, 'd.yaml'), DEPLOYMENT('d', 5));
    const sarif = JSON.parse(sarifText(await run())) as {
      runs: {
        tool: { driver: { rules: { id: string; helpUri: string; properties: Record<string, unknown> }[] } };
        results: { ruleId: string }[];
      }[];
    };
    const rule = sarif.runs[0]!.tool.driver.rules.find((x) => x.id === 'policy/replicas-max')!;
    expect(rule.helpUri).toMatch(/docs\/policies\.md$/);
    expect(rule.properties['security-severity']).toBe('7.5');
    expect(sarif.runs[0]!.results.map((x) => x.ruleId)).toContain('policy/replicas-max');
  });

  it('refuses URLs, paths outside the repository and missing paths', async () => {
    await expect(run({ admissionPolicies: ['https://example.com/p.yaml'] })).rejects.toThrow(/never fetches policies/);
    await expect(run({ admissionPolicies: ['../elsewhere'] })).rejects.toThrow(/does not exist|outside the repository/);
    await expect(run({ admissionPolicies: ['missing'] })).rejects.toThrow(/missing does not exist/);
    await expect(run({ admissionPolicies: 'policies' })).rejects.toThrow(/admissionPolicies/);
    writeFileSync(
      join(dir, 'policies/orphan.yaml'),
      POLICY('orphan', 'true', '[Deny]').split('---\n')[1]!.replace('policyName: orphan', 'policyName: typo'),
    );
    await expect(run()).rejects.toThrow(/ValidatingAdmissionPolicyBinding orphan names policy typo, which no configured file defines/);
  });

  it('reads admissionPolicies from .podguard.yml, and reads policy files like scanned files', async () => {
    writeFileSync(join(dir, 'd.yaml'), DEPLOYMENT('d', 5));
    writeFileSync(join(dir, '.podguard.yml'), 'admissionPolicies:\n  - /policies\n');
    const r = await scan({ root: dir, threads: 1 });
    expect(policyFindings(r).map(brief)).toEqual(['d.yaml:6:3 policy/replicas-max error violation']);
    const outside = mkdtempSync(join(tmpdir(), 'pg-outside-'));
    try {
      writeFileSync(join(outside, 'p.yaml'), POLICY('elsewhere', 'true', '[Deny]'));
      symlinkSync(join(outside, 'p.yaml'), join(dir, 'policies/link.yaml'));
      await expect(run()).rejects.toThrow(/links outside the repository/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
    rmSync(join(dir, 'policies/link.yaml'));
    writeFileSync(join(dir, 'policies/big.yaml'), `# ${'x'.repeat(3000)}\n`);
    await expect(run({ maxFileBytes: 2048 })).rejects.toThrow(/policies\/big\.yaml is \d+ bytes, over maxFileBytes/);
    writeFileSync(join(dir, 'policies/big.yaml'), 'a: [\n');
    await expect(run()).rejects.toThrow(/policies\/big\.yaml:\d+ is not valid YAML/);
  });

  it('gives the same findings on 1 and 2 threads', async () => {
    for (let i = 0; i < 40; i++) writeFileSync(join(dir, `d${String(i).padStart(2, '0')}.yaml`), DEPLOYMENT(`d${i}`, i % 5));
    const one = await run({}, { threads: 1 });
    const two = await run({}, { threads: 2, workerScript: WORKER });
    expect(two.threads).toBe(2);
    expect(policyFindings(one)).toHaveLength(16);
    expect(two.findings.map(brief)).toEqual(one.findings.map(brief));
    expect(two.findings.map((f) => f.fingerprint)).toEqual(one.findings.map((f) => f.fingerprint));
  });

  it('runs from the CLI: policy test exits 0 when expectations hold, 1 when not, 2 on usage', async () => {
    mkdirSync(join(dir, 'fixtures'));
    writeFileSync(join(dir, 'fixtures/ok.yaml'), DEPLOYMENT('ok', 1, 'allow'));
    let out = '';
    const io = { cwd: dir, env: {}, stdout: (t: string) => (out += t), stderr: () => undefined, isTTY: false };
    expect(await runCli(['policy', 'test', 'policies', 'fixtures'], io)).toBe(0);
    expect(out).toContain('1 passed, 0 failed');
    writeFileSync(join(dir, 'fixtures/bad.yaml'), DEPLOYMENT('bad', 9, 'allow'));
    expect(await runCli(['policy', 'test', 'policies', 'fixtures'], io)).toBe(1);
    expect(await runCli(['policy', 'run'], io)).toBe(2);
  });
});

describe('policy helpers', () => {
  it('parses quantities into nano-units, rounding up', () => {
    expect(parseQuantity('1Gi')).toBe(1073741824n * 1_000_000_000n);
    expect(parseQuantity('500m')).toBe(500_000_000n);
    expect(parseQuantity('1.5')).toBe(1_500_000_000n);
    expect(parseQuantity('1e3')).toBe(1_000_000_000_000n);
    expect(parseQuantity('-2k')).toBe(-2_000_000_000_000n);
    expect(parseQuantity('0.1n')).toBe(1n);
    expect(parseQuantity('.5')).toBe(500_000_000n);
    for (const bad of ['', 'lots', '1GB', '1.2.3', '.', '1e999', '1'.repeat(100)]) expect(parseQuantity(bad)).toBeUndefined();
  });

  it('maps kinds to resources', () => {
    expect(resourceOf('Deployment')).toBe('deployments');
    expect(resourceOf('NetworkPolicy')).toBe('networkpolicies');
    expect(resourceOf('Ingress')).toBe('ingresses');
    expect(resourceOf('Endpoints')).toBe('endpoints');
    expect(resourceOf('Gateway')).toBe('gateways');
    expect(resourceOf('Proxy')).toBe('proxies');
  });

  it('locates expressions', () => {
    const kind = (e: string): string => {
      const l = locatorOf(compile(e).expr);
      return l.kind === 'object' ? 'object' : `${l.kind} ${l.path.join('.')}`;
    };
    expect(kind('object.spec.replicas <= 5')).toBe('field spec.replicas');
    expect(kind("has(object.spec.x) && object.spec.x.y == 'a'")).toBe('field spec.x.y');
    expect(kind('object.spec.containers.all(c, c.image != "")')).toBe('each spec.containers');
    expect(kind("object.kind != 'Pod' || object.spec.containers.all(c, c.image != '')")).toBe('each spec.containers');
    expect(kind('object.spec.a == object.spec.b')).toBe('object');
    expect(kind('true')).toBe('object');
  });

  it('keeps policy text to one line that cannot start a logging command', () => {
    expect(policyText('::error::x\nline two')).toBe('error:\u200b:x line two');
    expect(policyText('##vso[task.setvariable]x')).not.toMatch(/##vso\[/);
    expect(policyText('a'.repeat(900))).toHaveLength(500);
  });
});
