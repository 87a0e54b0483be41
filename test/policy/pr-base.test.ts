/**
 * A pull request must not weaken its own admission policies: in a changed-files scan the
 * policies named by `admissionPolicies:` come from the base commit when the change modifies,
 * adds to or deletes any of them (pr-config base), fail the run (fail), or apply as changed
 * with a notice (head). On a PR-shaped git repository (test/helpers/git.ts).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pinToBase } from '../../src/collect/base-config.js';
import type { PrConfigMode } from '../../src/collect/base-config.js';
import { scan } from '../../src/engine.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { pullRequestRepo, sh, tempDir } from '../helpers/git.js';

const OFF = Object.fromEntries(ALL_RULES.filter((r) => !r.meta.system).map((r) => [r.meta.id, 'off']));

const POLICY = (max: number): string => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: replicas-max
spec:
  matchConstraints:
    resourceRules:
      - apiGroups: ["apps"]
        apiVersions: ["v1"]
        operations: ["CREATE"]
        resources: ["deployments"]
  validations:
    - expression: "object.spec.replicas <= ${max}"
      message: too many replicas
`;

const BINDING = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: replicas-max
spec:
  policyName: replicas-max
  validationActions: [Deny]
`;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 5
`;

const CONFIG = `admissionPolicies: [policy]\n`;

const BASE = { '.podguard.yml': CONFIG, 'policy/limit.yaml': POLICY(2), 'policy/binding.yaml': BINDING, 'app/ok.yaml': 'a: 1\n' };

const cleanup: string[] = [];
afterAll(() => {
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
});

/** The PR's merge checked out in its origin; the pinned result and the policy findings of the scan. */
async function pr(head: Record<string, string | null>, mode: PrConfigMode = 'base') {
  const repo = pullRequestRepo({ base: BASE, head: { ...head, 'app/web.yaml': DEPLOYMENT } });
  cleanup.push(repo.origin);
  sh(repo.origin, 'checkout', '-q', repo.mergeSha);
  const changed = sh(repo.origin, 'diff', '--name-only', repo.baseSha, repo.mergeSha).split('\n').filter(Boolean);
  const tmp = tempDir('pg-pin-');
  cleanup.push(tmp);
  const pinned = await pinToBase({
    root: repo.origin,
    repoTop: repo.origin,
    base: repo.baseSha,
    changed,
    configFile: `${repo.origin}/.podguard.yml`,
    mode,
    tempDir: tmp,
    input: 'pr-config',
  });
  const r = await scan({
    root: repo.origin,
    config: { admissionPolicies: ['policy'], rules: OFF },
    changedFiles: changed,
    threads: 1,
    baseline: false,
    ...(pinned.policyRoot !== undefined ? { policyRoot: pinned.policyRoot } : {}),
  });
  return {
    pinned,
    findings: r.findings.filter((f) => f.ruleId.startsWith('policy/')).map((f) => `${f.file}:${f.range.start.line} ${f.ruleId}`),
  };
}

describe('admission policies of a pull request come from its base commit', () => {
  it('keeps the base policy when the change loosens it', async () => {
    const { pinned, findings } = await pr({ 'policy/limit.yaml': POLICY(10) });
    expect(pinned.policyRoot).toBeDefined();
    expect(pinned.notices.join(' ')).toMatch(/admission policy file policy\/limit\.yaml: the base commit's policies apply/);
    expect(findings).toEqual(['app/web.yaml:6 policy/replicas-max']);
  });

  it('keeps the base binding when the change deletes it', async () => {
    const { pinned, findings } = await pr({ 'policy/binding.yaml': null });
    expect(pinned.policyRoot).toBeDefined();
    expect(findings).toEqual(['app/web.yaml:6 policy/replicas-max']);
  });

  it('uses the change version with a notice under pr-config head', async () => {
    const { pinned, findings } = await pr({ 'policy/limit.yaml': POLICY(10) }, 'head');
    expect(pinned.policyRoot).toBeUndefined();
    expect(pinned.notices.join(' ')).toMatch(/its own version applies \(pr-config: head\)/);
    expect(findings).toEqual([]);
  });

  it('fails the run under pr-config fail', async () => {
    await expect(pr({ 'policy/limit.yaml': POLICY(10) }, 'fail')).rejects.toThrow(
      /admission policy file policy\/limit\.yaml.*pr-config is fail/,
    );
  });

  it('reads an entry written with a leading / (the repository root) the same way', async () => {
    const repo = pullRequestRepo({ base: BASE, head: { 'policy/limit.yaml': POLICY(10) } });
    cleanup.push(repo.origin);
    sh(repo.origin, 'checkout', '-q', repo.mergeSha);
    const tmp = tempDir('pg-pin-');
    cleanup.push(tmp);
    writeFileSync(join(repo.origin, '.podguard.yml'), 'admissionPolicies: [/policy]\n');
    const pinned = await pinToBase({
      root: repo.origin,
      repoTop: repo.origin,
      base: repo.baseSha,
      changed: ['policy/limit.yaml'],
      configFile: join(repo.origin, '.podguard.yml'),
      mode: 'base',
      tempDir: tmp,
      input: 'pr-config',
    });
    expect(pinned.policyRoot).toBeDefined();
    expect(readFileSync(join(pinned.policyRoot!, 'policy/limit.yaml'), 'utf8')).toBe(POLICY(2));
  });

  it('changes nothing when the change leaves the policies alone', async () => {
    const { pinned, findings } = await pr({ 'app/other.yaml': 'b: 2\n' });
    expect(pinned.policyRoot).toBeUndefined();
    expect(pinned.notices).toEqual([]);
    expect(findings).toEqual(['app/web.yaml:6 policy/replicas-max']);
  });

  it('takes the base configuration policies when the change also edits .podguard.yml', async () => {
    const { pinned, findings } = await pr({ '.podguard.yml': 'admissionPolicies: []\n', 'policy/limit.yaml': POLICY(10) });
    expect(pinned.config).toEqual({ admissionPolicies: ['policy'] });
    expect(pinned.policyRoot).toBeDefined();
    expect(findings).toEqual(['app/web.yaml:6 policy/replicas-max']);
  });
});
