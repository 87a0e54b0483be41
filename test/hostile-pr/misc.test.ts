/** Smaller ways a pull request bends the gate: nested configurations, nested Lists, doubling ARGs, broken documents, comments. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { scan } from '../../src/engine.js';
import { toText } from '../../src/report/text.js';
import { jsonText } from '../../src/report/json.js';

function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'pg-pr-misc-'));
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), c);
  }
  return root;
}

const POD = (name: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n      securityContext:\n        privileged: true\n`;

describe('smaller bypasses', () => {
  it('a nested .podguard.yml never overrides the root one silently', async () => {
    const root = repo({
      '.podguard.yml': 'rules:\n  privileged-container: error\n',
      'k8s/.podguard.yml': 'rules:\n  privileged-container: off\n',
      'k8s/pod.yaml': POD('p'),
    });
    const result = await scan({ root, paths: ['k8s'] });
    expect(result.findings.some((f) => f.ruleId === 'privileged-container')).toBe(true);
    expect(toText(result)).toContain("podguard: k8s/.podguard.yml is not used: the repository root's .podguard.yml applies");
  });

  it('a List inside a List is flattened', async () => {
    const list = (items: unknown[]): unknown => ({ apiVersion: 'v1', kind: 'List', items });
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'deep' },
      spec: { containers: [{ name: 'c', image: 'nginx:1.27', securityContext: { privileged: true } }] },
    };
    const root = repo({ 'lists.json': JSON.stringify(list([list([pod])])) });
    const result = await scan({ root });
    expect(result.findings.filter((f) => f.ruleId === 'privileged-container').map((f) => f.message)).toEqual([
      expect.stringContaining('Pod/deep'),
    ]);
  });

  it('doubling ARGs neither grow memory nor the output', async () => {
    const lines = ['ARG A0=xxxxxxxxxxxxxxxx'];
    for (let i = 1; i <= 30; i++) lines.push(`ARG A${i}=$A${i - 1}$A${i - 1}`);
    lines.push('FROM nginx:$A30', 'USER 10001');
    const result = await scan({ root: repo({ Dockerfile: `${lines.join('\n')}\n` }) });
    expect(jsonText(result).length).toBeLessThan(200_000);
    for (const f of result.findings) expect(f.message.length).toBeLessThan(1500);
  });

  it('a privileged Pod with {{ only in a comment is checked; a secret in a broken document is found', async () => {
    const token = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
    const root = repo({
      'commented.yaml': `# rendered from {{ .Values.x }} once\n${POD('commented')}`,
      'multi.yaml': `${POD('first')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\ndata:\n  token: ${token}\n  bad: [unclosed\n`,
    });
    const result = await scan({ root });
    expect(result.findings.some((f) => f.file === 'commented.yaml' && f.ruleId === 'privileged-container')).toBe(true);
    expect(result.findings.some((f) => f.file === 'multi.yaml' && f.ruleId === 'parse-error')).toBe(true);
    expect(result.findings.some((f) => f.file === 'multi.yaml' && f.ruleId === 'secret-token')).toBe(true);
    expect(jsonText(result)).not.toContain(token.slice(4, 20));
  });
});
