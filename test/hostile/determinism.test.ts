/** Two scans of the same tree give byte-identical SARIF and JSON. */
import { rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { scan } from '../../src/engine.js';
import { jsonText, toJson } from '../../src/report/json.js';
import { sarifText } from '../../src/report/sarif.js';
import { toText } from '../../src/report/text.js';
import { CONTROL_POD, makeRepo } from './support.js';

const pods = Array.from({ length: 40 }, (_, i) => CONTROL_POD.replace('name: control', `name: p${i}`)).join('---\n');

describe('determinism', () => {
  it('two scans of the same tree give byte-identical SARIF, JSON and text', async () => {
    // Many files (more than the read-ahead window), mixed kinds, errors, skipped files and links.
    const files: Record<string, string | Uint8Array> = { 'control/pod.yaml': CONTROL_POD, 'multi.yaml': pods, 'tabs.yaml': 'a:\n\tb: 1\n' };
    for (let i = 0; i < 80; i++) files[`apps/${i % 7}/svc-${i}.yaml`] = CONTROL_POD.replace('name: control', `name: svc-${i}`);
    files['Dockerfile'] = 'FROM alpine:3.20\nRUN <<EOF\nnever closed\n';
    files['bin/Dockerfile'] = new Uint8Array([0, 1, 2, 3]);
    files['dup.yaml'] = CONTROL_POD.replace('kind: Pod\n', 'kind: Pod\nkind: Pod\n');
    const root = makeRepo(files);
    symlinkSync('missing.yaml', join(root, 'dangling.yaml'));
    try {
      const a = await scan({ root });
      const b = await scan({ root });
      expect(a.findings.length).toBeGreaterThan(200);
      expect(sarifText(b)).toBe(sarifText(a));
      expect(jsonText(b)).toBe(jsonText(a));
      expect(toText(b)).toBe(toText(a));
      // Written in pieces, JSON is exactly the whole document's text.
      expect(jsonText(a)).toBe(`${JSON.stringify(toJson(a), null, 2)}\n`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
