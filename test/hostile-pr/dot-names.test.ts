/**
 * A name that starts with two dots is a name, not a way out: `..k8s/pod.yaml` sits inside the
 * repository. Containment once read any path beginning `..` as outside, so a pull request could
 * hide manifests (and a whole chart) from the scan by naming their directory so.
 */
import { join, sep } from 'node:path';
import { scan } from '../../src/engine.js';
import { climbsOut, isInside } from '../../src/config/safe-read.js';
import { toSarif } from '../../src/report/sarif.js';
import { workspace } from '../helpers/git.js';

const PRIVILEGED =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx\n      securityContext:\n        privileged: true\n';
const CHART_POD =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  hostNetwork: true\n  containers:\n    - name: c\n      image: nginx\n';

const tree = (files: Record<string, string>): string => workspace(files, 'pg-dotnames-');

const FILES = {
  '..k8s/pod.yaml': PRIVILEGED,
  '...x/pod.yaml': PRIVILEGED,
  '..chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 1.0.0\n',
  '..chart/templates/pod.yaml': CHART_POD,
};

const where = (findings: readonly { ruleId: string; file: string }[], ruleId: string): string[] =>
  [...new Set(findings.filter((f) => f.ruleId === ruleId).map((f) => f.file))].sort();

describe('names that start with ".."', () => {
  it('are inside; ".." itself, a "../" first segment and absolute paths are not', () => {
    for (const rel of ['..k8s', '..k8s/pod.yaml', '...', `..x${sep}y`, 'a/..b', '']) expect(climbsOut(rel)).toBe(false);
    for (const rel of ['..', '../x', `..${sep}x`, '/etc/passwd']) expect(climbsOut(rel)).toBe(true);
    expect(isInside('/repo', '/repo/..k8s/pod.yaml')).toBe(true);
    expect(isInside('/repo', '/repo/../etc')).toBe(false);
  });

  it('are scanned in full: plain manifests, and a chart rendered from a directory so named', async () => {
    const root = tree(FILES);
    const res = await scan({ root });
    expect(where(res.findings, 'privileged-container')).toEqual(['...x/pod.yaml', '..k8s/pod.yaml']);
    expect(where(res.findings, 'host-namespaces')).toEqual(['..chart/templates/pod.yaml']);
    expect(res.findings.filter((f) => f.ruleId === 'not-rendered')).toEqual([]);
  });

  it('are scanned when a pull request changes them, and a scope so named is no error', async () => {
    const root = tree(FILES);
    const changed = await scan({ root, changedFiles: ['..k8s/pod.yaml', '..chart/templates/pod.yaml'] });
    expect(where(changed.findings, 'privileged-container')).toEqual(['..k8s/pod.yaml']);
    expect(where(changed.findings, 'host-namespaces')).toEqual(['..chart/templates/pod.yaml']);
    const scoped = await scan({ root, paths: ['..k8s'] });
    expect(where(scoped.findings, 'privileged-container')).toEqual(['..k8s/pod.yaml']);
  });

  it('keep their place in SARIF when the scan root is such a directory below the repository', async () => {
    const root = tree(FILES);
    const res = await scan({ root: join(root, '..k8s') });
    const sarif = toSarif(res, { repositoryRoot: root }) as {
      runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    const uris = sarif.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri);
    expect(uris.length).toBeGreaterThan(0);
    expect(new Set(uris)).toEqual(new Set(['..k8s/pod.yaml']));
  });
});
