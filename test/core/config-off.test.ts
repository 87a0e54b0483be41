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
