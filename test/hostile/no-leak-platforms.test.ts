/**
 * No leak, proven on every face: more than 50 planted secrets go through the bundled GitHub
 * Action (annotations, log, job summary, outputs, SARIF) and the bundled Azure Pipelines task
 * (log issues, log, summary tab, SARIF), and no output holds any 6-character run of any secret.
 * The masking commands (`::add-mask::`, `##vso[task.setsecret]`) carry the values to the runner
 * by design and are never shown; they must come before the first finding is printed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { b64, plantRepository } from '../helpers/plant-repo.js';
import { describeLeaks, findLeaks } from '../helpers/leaks.js';

const ROOT = process.cwd();
const FINGERPRINTS = /\b[0-9a-f]{32}\b/g;

function planted(): { root: string; secrets: string[] } {
  const root = mkdtempSync(join(tmpdir(), 'pg-leak-ci-'));
  const secrets = plantRepository(root);
  execFileSync('git', ['init', '-q'], { cwd: root });
  return { root, secrets: [...secrets, ...secrets.map(b64)] };
}

/** A line that reports a finding: an annotation, a log issue, or a row of the text report. */
const FINDING_LINE = /^::(error|warning|notice) |^##vso\[task\.logissue |^ {2}\d+:\d+ /;

/** Splits a log into the masking commands and what a person sees; masks must come first. */
function splitMasks(log: string, mask: RegExp): { shown: string; maskCount: number } {
  const lines = log.split('\n');
  const maskAt = lines.flatMap((l, i) => (mask.test(l) ? [i] : []));
  // Status lines printed before the scan ("scanning...") hold no finding; the first finding must follow the masks.
  const firstShown = lines.findIndex((l) => FINDING_LINE.test(l));
  expect(firstShown).toBeGreaterThan(-1);
  if (maskAt.length) expect(Math.max(...maskAt)).toBeLessThan(firstShown);
  return { shown: lines.filter((l) => !mask.test(l)).join('\n'), maskCount: maskAt.length };
}

describe('no secret reaches any CI output', () => {
  it('the GitHub Action masks every secret first and prints none of them', () => {
    const { root, secrets } = planted();
    const runner = mkdtempSync(join(tmpdir(), 'pg-leak-runner-'));
    const files = { output: join(runner, 'output'), summary: join(runner, 'summary.md'), event: join(runner, 'event.json') };
    writeFileSync(files.output, '');
    writeFileSync(files.summary, '');
    writeFileSync(files.event, JSON.stringify({ ref: 'refs/heads/main' }));
    const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'action.js')], {
      cwd: root,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        HOME: runner,
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: root,
        GITHUB_EVENT_NAME: 'push',
        GITHUB_EVENT_PATH: files.event,
        GITHUB_OUTPUT: files.output,
        GITHUB_STEP_SUMMARY: files.summary,
        GITHUB_REPOSITORY: 'octo/shop',
        GITHUB_SHA: 'a'.repeat(40),
        GITHUB_SERVER_URL: 'https://github.com',
        'INPUT_FAIL-ON': 'never',
        INPUT_PATHS: '.',
        INPUT_CONFIG: '.podguard.yml',
        'INPUT_SARIF-FILE': 'podguard.sarif',
        INPUT_ANNOTATIONS: 'true',
        INPUT_SUMMARY: 'true',
        INPUT_SCAN: 'all',
      },
    });
    expect(r.status).toBe(0);
    const { shown, maskCount } = splitMasks(r.stdout, /^::add-mask::/);
    expect(maskCount).toBeGreaterThanOrEqual(50);
    expect(shown).toMatch(/^::error /m);
    const outputs = {
      log: shown,
      stderr: r.stderr,
      summary: readFileSync(files.summary, 'utf8'),
      outputs: readFileSync(files.output, 'utf8'),
      sarif: readFileSync(join(root, 'podguard.sarif'), 'utf8'),
    };
    expect(outputs.summary).toContain('secret-');
    expect(describeLeaks(findLeaks(secrets, outputs, { ignore: [FINGERPRINTS] }))).toEqual([]);
  });

  it('the Azure Pipelines task registers every secret first and prints none of them', () => {
    const { root, secrets } = planted();
    const temp = mkdtempSync(join(tmpdir(), 'pg-leak-agent-'));
    const r = spawnSync(process.execPath, [join(ROOT, 'task', 'dist', 'index.js')], {
      cwd: root,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        BUILD_SOURCESDIRECTORY: root,
        AGENT_TEMPDIRECTORY: temp,
        INPUT_FAILON: 'never',
        INPUT_SCAN: 'all',
        INPUT_PUBLISHSARIF: 'true',
      },
    });
    expect(r.status).toBe(0);
    const { shown, maskCount } = splitMasks(r.stdout, /^##vso\[task\.setsecret\]/);
    expect(maskCount).toBeGreaterThanOrEqual(50);
    expect(shown).toMatch(/^##vso\[task\.logissue type=error;code=secret-/m);
    const outDir = join(temp, 'podguard');
    const written = Object.fromEntries(readdirSync(outDir).map((f) => [f, readFileSync(join(outDir, f), 'utf8')]));
    expect(Object.keys(written).sort()).toEqual(['podguard.md', 'podguard.sarif']);
    const outputs = { log: shown, stderr: r.stderr, ...written };
    expect(describeLeaks(findLeaks(secrets, outputs, { ignore: [FINGERPRINTS] }))).toEqual([]);
  });
});
