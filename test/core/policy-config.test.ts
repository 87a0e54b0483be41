/** `overrides:` (per-path levels and profile) and `ignore:` (per-resource ignores) in .podguard.yml. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { scan } from '../../src/engine.js';
import { toSarif } from '../../src/report/sarif.js';

const pod = (name: string, namespace?: string): string => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
${namespace ? `  namespace: ${namespace}\n` : ''}spec:
  securityContext:
    runAsNonRoot: true
    seccompProfile: {type: RuntimeDefault}
  containers:
    - name: app
      image: nginx:1.27@sha256:${'a'.repeat(64)}
      securityContext:
        privileged: true
        readOnlyRootFilesystem: true
        capabilities: {drop: [ALL]}
`;

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pg-policy-'));
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(dir, dirname(p)), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
  return dir;
}

const RULES = `rules:
  imds-egress-not-blocked: off
  service-account-token-automount: off
`;

const found = async (root: string, today = '2026-12-02') =>
  (await scan({ root, today })).findings.map((f) => [f.file, f.ruleId, f.level, f.suppression?.justification ?? null]);

describe('overrides:', () => {
  it('sets levels and profiles per path, in order, later entries winning', async () => {
    const root = repo({
      'app/pod.yaml': pod('app'),
      'charts/vendor/pod.yaml': pod('vendor'),
      'test/pod.yaml': pod('test'),
      '.podguard.yml': `${RULES}overrides:
  - files: ['charts/vendor/**']
    profile: baseline
    rules:
      privileged-container: warning
  - files: ['test/**']
    rules:
      privileged-container: off
      privilege-escalation: off
`,
    });
    // A privileged container is one root cause: privilege-escalation stays quiet while
    // privileged-container reports it.
    expect(await found(root)).toEqual([
      ['app/pod.yaml', 'privileged-container', 'error', null],
      ['charts/vendor/pod.yaml', 'privileged-container', 'warning', null],
    ]);
  });

  it('turns a rule that is off globally on for one path', async () => {
    const root = repo({
      'app/pod.yaml': pod('app'),
      'prod/pod.yaml': pod('prod'),
      '.podguard.yml': `${RULES}  privileged-container: off
  privilege-escalation: off
overrides:
  - files: ['prod/**']
    rules: {privileged-container: error}
`,
    });
    expect(await found(root)).toEqual([['prod/pod.yaml', 'privileged-container', 'error', null]]);
  });

  it('is validated by the schema, naming the key', async () => {
    const bad = repo({ 'a.yaml': pod('a'), '.podguard.yml': 'overrides:\n  - files: [x/**]\n    rules: {privileged-containr: off}\n' });
    await expect(scan({ root: bad })).rejects.toThrow(/overrides/);
    const noFiles = repo({ 'a.yaml': pod('a'), '.podguard.yml': 'overrides:\n  - profile: baseline\n' });
    await expect(scan({ root: noFiles })).rejects.toThrow(/files/);
  });
});

describe('ignore:', () => {
  const config = (until = '') => `${RULES}  privilege-escalation: off
ignore:
  - kind: Pod
    name: agent
    namespace: monitoring
    rules: [privileged-container]
    reason: upstream chart, tracked in OPS-12${until ? `\n    until: ${until}` : ''}
`;

  it('suppresses the named rules on the named object, with its reason', async () => {
    const root = repo({
      'a.yaml': pod('agent', 'monitoring'),
      'b.yaml': pod('agent', 'other'),
      'c.yaml': pod('web', 'monitoring'),
      '.podguard.yml': config(),
    });
    expect(await found(root)).toEqual([
      ['a.yaml', 'privileged-container', 'error', 'upstream chart, tracked in OPS-12'],
      ['b.yaml', 'privileged-container', 'error', null],
      ['c.yaml', 'privileged-container', 'error', null],
    ]);
    const result = await scan({ root, today: '2026-12-02' });
    const sarif = toSarif(result) as { runs: { results: { suppressions?: unknown[] }[] }[] };
    expect(sarif.runs[0]!.results[0]!.suppressions).toEqual([{ kind: 'external', justification: 'upstream chart, tracked in OPS-12' }]);
  });

  it('stops applying after until= and reports itself as expired', async () => {
    const root = repo({ 'a.yaml': pod('agent', 'monitoring'), '.podguard.yml': config('2026-11-30') });
    const result = await scan({ root, today: '2026-12-02' });
    expect(result.findings.map((f) => [f.file, f.ruleId, f.suppression ? 'suppressed' : 'open'])).toEqual([
      ['.podguard.yml', 'expired-suppression', 'open'],
      ['a.yaml', 'privileged-container', 'open'],
    ]);
    expect(result.findings[0]!.message).toContain('ignore entry 1 (Pod/agent) for privileged-container expired on 2026-11-30');
    expect((await found(repo({ 'a.yaml': pod('agent', 'monitoring'), '.podguard.yml': config('2026-12-02') })))[0]![3]).not.toBeNull();
  });

  it('requires a reason', async () => {
    const root = repo({ 'a.yaml': pod('a'), '.podguard.yml': 'ignore:\n  - {kind: Pod, name: a, rules: [privileged-container]}\n' });
    await expect(scan({ root })).rejects.toThrow(/reason/);
  });
});
