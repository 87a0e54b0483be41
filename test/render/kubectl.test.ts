/** `kubectl kustomize` stands in for kustomize when only kubectl is installed (as on hosted CI agents). */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scan } from '../../src/engine.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const KUBECTL_DIRS = ['/usr/bin', '/usr/local/bin'].filter((d) => existsSync(join(d, 'kubectl')));

(KUBECTL_DIRS.length ? describe : describe.skip)('kubectl kustomize', () => {
  it('renders an overlay and maps the patch line', async () => {
    const { PODGUARD_KUSTOMIZE: _k, ...env } = process.env;
    const r = await scan({ root: FIXTURES, paths: ['kustomize'], threads: 1, env: { ...env, PATH: KUBECTL_DIRS[0]! } });
    expect(r.findings.filter((f) => f.ruleId === 'not-rendered' && f.messageId === 'noTool')).toEqual([]);
    expect(r.findings.filter((f) => f.ruleId === 'privileged-container').map((f) => `${f.file}:${f.range.start.line}`)).toEqual([
      'kustomize/overlays/prod/privileged.yaml:11',
    ]);
  });
});
