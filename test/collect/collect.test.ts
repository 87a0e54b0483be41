/** Which files a scan takes: config `exclude:` and `.gitignore`, through the whole scan. */
import { scan } from '../../src/engine.js';
import { PRIVILEGED, commit, sh, tempDir, write } from '../helpers/git.js';

const scannedFiles = async (root: string, changedFiles?: string[]): Promise<string[]> => {
  const result = await scan({ root, today: '2026-12-01', ...(changedFiles ? { changedFiles } : {}) });
  return [...new Set(result.findings.filter((f) => f.ruleId === 'privileged-container').map((f) => f.file))].sort();
};

describe('collection', () => {
  it('leaves out what config `exclude:` names, in a plain directory', async () => {
    const root = tempDir('pg-collect-');
    for (const p of ['app/pod.yaml', 'vendor/chart/pod.yaml', 'docs/examples/pod.yaml', 'docs/keep.yaml']) write(root, p, PRIVILEGED('p'));
    write(root, '.podguard.yml', 'exclude:\n  - vendor/**\n  - docs/examples/**\n');
    expect(await scannedFiles(root)).toEqual(['app/pod.yaml', 'docs/keep.yaml']);
  });

  it('leaves out what config `exclude:` names among the changed files of a pull request', async () => {
    const root = tempDir('pg-collect-');
    for (const p of ['app/pod.yaml', 'vendor/pod.yaml']) write(root, p, PRIVILEGED('p'));
    write(root, '.podguard.yml', 'exclude:\n  - vendor/**\n');
    expect(await scannedFiles(root, ['app/pod.yaml', 'vendor/pod.yaml'])).toEqual(['app/pod.yaml']);
  });

  it('leaves out git-ignored files (nested .gitignore, negation) but keeps tracked and untracked ones', async () => {
    const root = tempDir('pg-collect-');
    sh(root, 'init', '-q');
    commit(root, 'init', {
      '.gitignore': 'build/\n*.generated.yaml\n!keep.generated.yaml\n',
      'k8s/.gitignore': 'local-*.yaml\n',
      'k8s/pod.yaml': PRIVILEGED('tracked'),
    });
    for (const p of ['build/pod.yaml', 'k8s/local-dev.yaml', 'k8s/x.generated.yaml', 'k8s/keep.generated.yaml', 'k8s/new.yaml'])
      write(root, p, PRIVILEGED('p'));
    expect(await scannedFiles(root)).toEqual(['k8s/keep.generated.yaml', 'k8s/new.yaml', 'k8s/pod.yaml']);
  });

  it('applies `exclude:` and .gitignore together', async () => {
    const root = tempDir('pg-collect-');
    sh(root, 'init', '-q');
    commit(root, 'init', { '.gitignore': 'build/\n', '.podguard.yml': 'exclude:\n  - vendor/**\n', 'app/pod.yaml': PRIVILEGED('a') });
    for (const p of ['build/pod.yaml', 'vendor/pod.yaml']) write(root, p, PRIVILEGED('p'));
    expect(await scannedFiles(root)).toEqual(['app/pod.yaml']);
  });
});
