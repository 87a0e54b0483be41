/**
 * Where a finding points (the convention in src/rule.ts): a set field at its key, a missing
 * field where the fix goes (the container item's `name:` in Kubernetes, the compose service key).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scan } from '../../src/engine.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'podguard-pointing-'));
  writeFileSync(
    join(root, 'pod.yaml'),
    [
      'apiVersion: v1',
      'kind: Pod',
      'metadata: { name: p }',
      'spec:',
      '  containers:',
      '    - name: web',
      '      image: web:1.0',
      '      securityContext:',
      '        privileged: true',
      '    - image: nameless:1.0',
      '',
    ].join('\n'),
  );
  writeFileSync(join(root, 'compose.yaml'), ['services:', '  web:', '    image: web:1.0', '    cap_add: [SYS_ADMIN]', '    user: root', ''].join('\n'));
  writeFileSync(
    join(root, 'aci.yaml'),
    [
      'apiVersion: 2023-05-01',
      'name: g',
      'type: Microsoft.ContainerInstance/containerGroups',
      'properties:',
      '  containers:',
      '    - name: web',
      '      properties:',
      '        image: web:1.0',
      '        securityContext:',
      '          privileged: true',
      '',
    ].join('\n'),
  );
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const at = async (file: string, ruleId: string): Promise<string[]> => {
  const r = await scan({ root, paths: ['.'], today: '2026-12-01' });
  return r.findings.filter((f) => f.file === file && f.ruleId === ruleId).map((f) => `${f.range.start.line}:${f.range.start.column}`);
};

describe('where a finding points', () => {
  it('points a set field at its key, in every format', async () => {
    expect(await at('pod.yaml', 'privileged-container')).toEqual(['9:9']);
    expect(await at('aci.yaml', 'privileged-container')).toEqual(['10:11']);
    expect(await at('compose.yaml', 'dangerous-capabilities')).toEqual(['4:15']);
    expect(await at('compose.yaml', 'run-as-root')).toEqual(['5:5']);
  });

  it("points a missing field at the container's name, or the item of a nameless container", async () => {
    expect(await at('pod.yaml', 'writable-root-filesystem')).toEqual(['6:7', '10:7']);
  });
});
