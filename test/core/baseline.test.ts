/** The baseline round trip through the CLI: write, move, change, fix, rewrite; bad files. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/platform/cli.js';
import { scan } from '../../src/engine.js';
import { toSarif } from '../../src/report/sarif.js';
import { sarifErrors } from '../helpers/sarif.js';
import { onlyRulesYaml } from '../helpers/rules.js';
import { ALL_RULES } from '../../src/rules/index.js';
import type { Rule } from '../../src/rule.js';
import { forEachContainer } from '../../src/rules/util.js';

async function cli(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { cwd, env: {}, stdout: (t) => (out += t), stderr: (t) => (err += t), isTTY: false });
  return { code, out, err };
}

/** A Deployment whose containers run below the minimum UID; `pad` blank lines push it down. */
function deployment(uids: Record<string, number>, pad = 0): string {
  const containers = Object.entries(uids)
    .map(
      ([name, uid]) => `        - name: ${name}\n          image: ${name}:1.0\n          securityContext:\n            runAsUser: ${uid}\n`,
    )
    .join('');
  return `${'# padding\n'.repeat(pad)}apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n${containers}`;
}

type Json = { findings: { ruleId: string; line: number; level: string; baselined?: boolean; fingerprint: string }[]; baselined: number };

function repo(k8s: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pg-baseline-'));
  writeFileSync(join(dir, '.podguard.yml'), `${onlyRulesYaml('run-as-root')}  run-as-root:\n    minUid: 1000\n`);
  writeFileSync(join(dir, 'app.yaml'), k8s);
  return dir;
}

describe('baseline', () => {
  it('keeps moved findings known, reports changed values as new, drops fixed ones on rewrite', async () => {
    const dir = repo(deployment({ web: 10, worker: 20 }));
    expect((await cli(dir, 'scan', '.')).code).toBe(1);

    const written = await cli(dir, 'scan', '.', '--write-baseline', '.podguard-baseline.json', '--format', 'json');
    expect(written.code).toBe(0);
    expect(written.err).toContain('wrote 2 findings to .podguard-baseline.json');
    expect((JSON.parse(written.out) as Json).findings.every((f) => f.baselined && f.level === 'note')).toBe(true);
    const file = readFileSync(join(dir, '.podguard-baseline.json'), 'utf8');
    const data = JSON.parse(file) as { tool: string; version: number; findings: { identity: string }[] };
    expect([data.tool, data.version]).toEqual(['podguard', 1]);
    expect(data.findings.map((f) => f.identity)).toEqual(['Deployment/api container "web"', 'Deployment/api container "worker"']);
    expect(file).not.toMatch(/"line"/);

    // Moved 20 lines down: still known, reported as notes, exit 0.
    writeFileSync(join(dir, 'app.yaml'), deployment({ web: 10, worker: 20 }, 20));
    const moved = await cli(dir, 'scan', '.', '--baseline', '.podguard-baseline.json', '--format', 'json');
    const movedJson = JSON.parse(moved.out) as Json;
    expect(moved.code).toBe(0);
    expect(movedJson.findings.map((f) => [f.line, f.level, f.baselined])).toEqual([
      [32, 'note', true],
      [36, 'note', true],
    ]);
    expect(movedJson.baselined).toBe(2);

    // `baseline:` in the configuration works like --baseline; a changed value is new and gates.
    writeFileSync(
      join(dir, '.podguard.yml'),
      `baseline: .podguard-baseline.json\n${onlyRulesYaml('run-as-root')}  run-as-root:\n    minUid: 1000\n`,
    );
    writeFileSync(join(dir, 'app.yaml'), deployment({ web: 10, worker: 21 }, 20));
    const changed = await cli(dir, 'scan', '.', '--format', 'json');
    expect(changed.code).toBe(1);
    expect((JSON.parse(changed.out) as Json).findings.map((f) => [f.line, f.level, f.baselined ?? false])).toEqual([
      [32, 'note', true],
      [36, 'error', false],
    ]);
    const text = await cli(dir, 'scan', '.');
    expect(text.out).toContain('1 known from the baseline (hidden; --show-baselined lists them)');
    expect(text.out).not.toContain('(baseline)');
    const shown = await cli(dir, 'scan', '.', '--show-baselined');
    expect(shown.out).toContain('1 known from the baseline (notes, not gating)');
    expect(shown.out).toMatch(/^ {2}32:\d+ +note +run-as-root .*\(baseline\)$/m);

    // Fixing one and rewriting: it disappears from the file; the rest stays byte-stable.
    writeFileSync(join(dir, 'app.yaml'), deployment({ web: 10, worker: 1000 }));
    expect((await cli(dir, 'scan', '.', '--write-baseline', '.podguard-baseline.json')).code).toBe(0);
    const rewritten = JSON.parse(readFileSync(join(dir, '.podguard-baseline.json'), 'utf8')) as typeof data;
    expect(rewritten.findings.map((f) => f.identity)).toEqual(['Deployment/api container "web"']);
    expect(rewritten.findings[0]).toEqual(data.findings[0]);
    const again = readFileSync(join(dir, '.podguard-baseline.json'), 'utf8');
    await cli(dir, 'scan', '.', '--write-baseline', '.podguard-baseline.json');
    expect(readFileSync(join(dir, '.podguard-baseline.json'), 'utf8')).toBe(again);
  });

  it('marks SARIF results unchanged or new and stays schema-valid with suppressions', async () => {
    const dir = repo(deployment({ web: 10 }));
    await cli(dir, 'scan', '.', '--write-baseline', 'b.json');
    writeFileSync(
      join(dir, 'app.yaml'),
      `${deployment({ web: 10, api: 5 })}        - name: dbg # podguard-ignore run-as-root -- debug sidecar, dev only\n          image: dbg:1\n`,
    );
    const result = await scan({ root: dir, baseline: 'b.json', today: '2026-12-01' });
    const log = toSarif(result) as { runs: { results: { baselineState?: string; suppressions?: unknown; level: string }[] }[] };
    expect(sarifErrors(log)).toEqual([]);
    expect(log.runs[0]!.results.map((r) => [r.level, r.baselineState ?? null, Boolean(r.suppressions)])).toEqual([
      ['note', 'unchanged', false],
      ['error', 'new', false],
      ['error', null, true],
    ]);
  });

  it.each([
    ['missing', undefined, 'b.json: baseline file not found (create it with: podguard scan --write-baseline b.json)'],
    ['not JSON', '{"version": 1,', 'b.json: the baseline is not valid JSON'],
    ['wrong shape', '[]', 'b.json: is not a podguard baseline'],
    ['newer version', '{"version": 2, "findings": []}', 'b.json: baseline version 2 was written by a newer podguard'],
    [
      'bad entry',
      '{"version": 1, "findings": [{"fingerprint": "x"}]}',
      'b.json: "findings.0.fingerprint" must be a 32-character hex fingerprint',
    ],
  ])('stops with exit 2 on a %s baseline', async (_kind, content, message) => {
    const dir = repo(deployment({ web: 10 }));
    if (content !== undefined) writeFileSync(join(dir, 'b.json'), content);
    const { code, err } = await cli(dir, 'scan', '.', '--baseline', 'b.json');
    expect(code).toBe(2);
    expect(err).toContain(`podguard: ${message}`);
  });

  it('writes a first baseline even when the configured one does not exist yet', async () => {
    const dir = repo(deployment({ web: 10 }));
    writeFileSync(
      join(dir, '.podguard.yml'),
      `baseline: .podguard-baseline.json\n${onlyRulesYaml('run-as-root')}  run-as-root:\n    minUid: 1000\n`,
    );
    expect((await cli(dir, 'scan', '.')).code).toBe(2);
    expect((await cli(dir, 'scan', '.', '--write-baseline', '.podguard-baseline.json')).code).toBe(0);
    expect((await cli(dir, 'scan', '.')).code).toBe(0);
  });

  it('gives findings of rules that pass no identity the enclosing container or stage, so fingerprints survive inserts', async () => {
    const anonymous: Rule = {
      meta: {
        ...ALL_RULES.find((r) => r.meta.id === 'privileged-container')!.meta,
        id: 'test-anon',
        kinds: ['kubernetes', 'dockerfile'],
        messages: { m: 'm' },
      },
      check(file, ctx) {
        forEachContainer(file, (c) => {
          if (c.image) ctx.report({ messageId: 'm', at: c.image });
        });
        if (file.kind === 'dockerfile')
          for (const s of file.model.stages)
            ctx.report({
              messageId: 'm',
              at: {
                start: { line: s.from.getRange().start.line + 2, column: 1 },
                end: { line: s.from.getRange().start.line + 2, column: 2 },
              },
            });
      },
    };
    const pod = (name: string): string =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n    - name: c\n      image: x:1\n`;
    const dir = repo(pod('b'));
    writeFileSync(join(dir, 'Dockerfile'), 'FROM a AS build\nRUN x\nFROM b\nUSER app\n');
    const run = async (): Promise<Map<string, string>> => {
      const r = await scan({ root: dir, rules: [...ALL_RULES, anonymous] });
      return new Map(r.findings.filter((f) => f.ruleId === 'test-anon').map((f) => [f.identity, f.fingerprint]));
    };
    const before = await run();
    expect([...before.keys()].sort()).toEqual(['Pod/b container "c"', 'stage "build"', 'stage 1']);
    writeFileSync(join(dir, 'app.yaml'), `${pod('a')}---\n${pod('b')}`);
    const after = await run();
    expect(after.get('Pod/b container "c"')).toBe(before.get('Pod/b container "c"'));
    expect(after.size).toBe(4);
  });
});

describe('baseline entries under a former rule id', () => {
  it('still match a finding of the rule split out of it (image-tag -> image-digest)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-baseline-former-'));
    writeFileSync(join(dir, 'Dockerfile'), 'FROM mcr.microsoft.com/dotnet/aspnet:8.0\nUSER 10001\n');
    // Only a scan that applies a baseline computes former fingerprints (an empty one will do).
    const plain = await scan({ root: dir, paths: ['.'] });
    expect(plain.findings.find((f) => f.ruleId === 'image-digest')?.formerFingerprints).toBeUndefined();
    writeFileSync(join(dir, 'empty.json'), JSON.stringify({ tool: 'podguard', version: 1, findings: [] }));
    const first = await scan({ root: dir, paths: ['.'], config: { baseline: 'empty.json' } });
    const digest = first.findings.find((f) => f.ruleId === 'image-digest');
    expect(digest?.formerFingerprints?.length).toBe(1);
    expect(digest?.fingerprint).toBe(plain.findings.find((f) => f.ruleId === 'image-digest')?.fingerprint);
    // A baseline written by a podguard where this finding was image-tag's holds the former fingerprint.
    const old = { tool: 'podguard', version: 1, findings: [{ ruleId: 'image-tag', fingerprint: digest!.formerFingerprints![0] }] };
    writeFileSync(join(dir, 'baseline.json'), JSON.stringify(old));
    const again = await scan({ root: dir, paths: ['.'], config: { baseline: 'baseline.json' } });
    expect(again.findings.find((f) => f.ruleId === 'image-digest')?.baselined).toBe(true);
    expect(again.baseline?.known).toBe(1);
  });
});
