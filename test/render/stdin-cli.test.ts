/** `helm template ... | podguard scan -`: the bundled CLI reading a stream from standard input. */
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/platform/cli.js';
import { renderEnv } from '../helpers/render.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const FIXTURES = join(HERE, 'fixtures');
const CLI = join(HERE, '..', '..', 'dist', 'cli.js');

describe('podguard scan -', () => {
  it('checks what helm template prints and maps it to the chart in the repository', () => {
    const env = renderEnv();
    const stream = execFileSync('helm', ['template', 'release', 'charts/web'], {
      cwd: FIXTURES,
      env: { ...env, HOME: '/tmp' },
      encoding: 'utf8',
    });
    const run = spawnSync(process.execPath, [CLI, 'scan', '-', '--stdin-name', 'web.yaml', '--format', 'json'], {
      cwd: FIXTURES,
      input: stream,
      encoding: 'utf8',
      env: { PATH: '/nonexistent' },
    });
    expect(run.status).toBe(1);
    const out = JSON.parse(run.stdout) as {
      findings: { ruleId: string; file: string; line: number; related?: { file: string; line: number }[] }[];
    };
    const priv = out.findings.find((f) => f.ruleId === 'privileged-container');
    expect(priv).toMatchObject({
      file: 'charts/web/templates/deployment.yaml',
      line: 21,
      related: [{ file: 'charts/web/values.yaml', line: 6 }],
    });
    // Nothing is rendered from the tree when a stream is given.
    expect(out.findings.filter((f) => f.ruleId === 'not-rendered')).toEqual([]);
  });

  it('refuses "-" mixed with paths, and --stdin-name without "-"', async () => {
    const io = (errs: string[]) => ({
      cwd: FIXTURES,
      env: {},
      stdout: () => undefined,
      stderr: (t: string) => void errs.push(t),
      isTTY: false,
      readStdin: () => Promise.resolve(''),
    });
    const a: string[] = [];
    expect(await runCli(['scan', '-', 'charts'], io(a))).toBe(2);
    expect(a.join('')).toContain('cannot be combined');
    const b: string[] = [];
    expect(await runCli(['scan', '--stdin-name', 'x'], io(b))).toBe(2);
    expect(b.join('')).toContain('--stdin-name goes with "-"');
    const c: string[] = [];
    expect(await runCli(['scan', '-', '--stdin-name', '../x'], io(c))).toBe(2);
  });
});
