/** `off` in .podguard.yml is YAML 1.1's false: it must still switch a rule off. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scan } from '../../src/engine.js';

const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: c\n      image: app:1.0\n';

describe('.podguard.yml levels', () => {
  it('reads a plain `off` as the level off, both shorthand and under `level:`', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pg-off-'));
    writeFileSync(join(root, 'pod.yaml'), POD);
    writeFileSync(
      join(root, '.podguard.yml'),
      'rules:\n  writable-root-filesystem: off\n  run-as-root:\n    level: off\n    minUid: 1000\n',
    );
    const ids = new Set((await scan({ root })).findings.map((f) => f.ruleId));
    expect(ids.has('writable-root-filesystem')).toBe(false);
    expect(ids.has('run-as-root')).toBe(false);
    expect(ids.has('missing-seccomp-profile')).toBe(true);
  });
});

/**
 * Configuration that turns a rule off, shown against the same file with the rule on (these were
 * "valid" fixtures that passed whatever the rule did).
 */
describe('a rule turned off', () => {
  const scanText = async (text: string, config?: unknown) => {
    const root = mkdtempSync(join(tmpdir(), 'pg-off-'));
    writeFileSync(join(root, 'pod.yaml'), text);
    return (await scan({ root, today: '2026-12-01', ...(config !== undefined ? { config } : {}) })).findings;
  };
  const keys = (findings: Awaited<ReturnType<typeof scanText>>, ruleId: string) =>
    findings.filter((f) => f.ruleId === ruleId).map((f) => `${f.messageId}@${f.range.start.line}${f.suppression ? ' suppressed' : ''}`);

  it('imds-egress-not-blocked: off in the configuration, the unprotected pod is not reported', async () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: shop/app:1.0\n';
    expect(keys(await scanText(pod), 'imds-egress-not-blocked')).toHaveLength(1);
    expect(keys(await scanText(pod, { rules: { 'imds-egress-not-blocked': 'off' } }), 'imds-egress-not-blocked')).toEqual([]);
  });

  it('a former rule id turned off also turns off the rule split out of it (image-tag: off silences image-digest)', async () => {
    const pod =
      'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers:\n    - name: app\n      image: mcr.microsoft.com/dotnet/aspnet:8.0\n';
    expect(keys(await scanText(pod), 'image-digest')).toEqual(['noDigest@7']);
    expect(keys(await scanText(pod, { rules: { 'image-tag': 'off' } }), 'image-digest')).toEqual([]);
  });

  it('privilege-escalation belongs to the restricted profile: off under baseline', async () => {
    const pod =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: relaxed\nspec:\n  containers:\n    - name: app\n      image: app:1.0\n      securityContext:\n        allowPrivilegeEscalation: true\n';
    expect(keys(await scanText(pod), 'privilege-escalation')).toEqual(['allowed@10']);
    expect(keys(await scanText(pod, { profile: 'restricted' }), 'privilege-escalation')).toEqual(['allowed@10']);
    expect(keys(await scanText(pod, { profile: 'baseline' }), 'privilege-escalation')).toEqual([]);
  });

  it('suppression-without-reason off: a reasonless suppression works and is not reported', async () => {
    const pod =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  securityContext:\n    runAsNonRoot: true\n  containers:\n    - name: a\n      image: a:1.0\n      securityContext:\n        privileged: true # podguard-ignore privileged-container\n';
    const on = await scanText(pod);
    expect(keys(on, 'suppression-without-reason')).toHaveLength(1);
    const off = await scanText(pod, { rules: { 'suppression-without-reason': 'off' } });
    expect(keys(off, 'suppression-without-reason')).toEqual([]);
    expect(keys(off, 'privileged-container')).toEqual(['privileged@12 suppressed']);
  });
});
