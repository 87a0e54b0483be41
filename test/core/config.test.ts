/** .podguard.yml: every kind of mistake names the file, the key and the line (exit code 2); init. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/platform/cli.js';
import { settingsFromObject } from '../../src/config/load.js';
import { starterConfig, SCHEMA_URL } from '../../src/config/init.js';
import { parseYaml, toJS } from '../../src/parse/yaml.js';
import { ALL_RULES } from '../../src/rules/index.js';

async function cli(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { cwd, env: {}, stdout: (t) => (out += t), stderr: (t) => (err += t), isTTY: false });
  return { code, out, err };
}

function dirWithConfig(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pg-config-'));
  writeFileSync(join(dir, '.podguard.yml'), text);
  return dir;
}

describe('configuration errors', () => {
  it.each([
    ['unknown key', 'profile: baseline\nexlude:\n  - a/**\n', '.podguard.yml:2: unknown key "exlude" (did you mean "exclude"?)'],
    [
      'bad level',
      'rules:\n  run-as-root: fatal\n',
      '.podguard.yml:2: "rules.run-as-root" must be one of off, note, warning, error (got a string)',
    ],
    [
      'bad rule id',
      'rules:\n  privileged-containers: off\n',
      '.podguard.yml:2: unknown rule "privileged-containers" under "rules" (did you mean "privileged-container"?)',
    ],
    [
      'bad option',
      'rules:\n  run-as-root:\n    level: error\n    minUid: 0\n',
      '.podguard.yml:4: "rules.run-as-root.minUid" must be >= 1 (got 0)',
    ],
    [
      'unknown option',
      'rules:\n  run-as-root:\n    maxUid: 3\n',
      '.podguard.yml:3: unknown option "rules.run-as-root.maxUid"; run-as-root takes level, minUid',
    ],
    ['bad type', 'requireDigest: "yes"\n', '.podguard.yml:1: "requireDigest" must be true or false (got a string)'],
    ['bad list', 'exclude: docs/**\n', '.podguard.yml:1: "exclude" must be a list (got a string)'],
    ['YAML syntax', 'rules:\n  run-as-root: [error\n', '.podguard.yml:3: not valid YAML:'],
  ])('%s: exit 2 with file, line and key', async (_kind, config, message) => {
    const { code, err, out } = await cli(dirWithConfig(config), 'scan', '.');
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(`podguard: ${message}`);
  });

  it('reports every problem of a file at once, each on its own line', async () => {
    const { code, err } = await cli(dirWithConfig('profile: strict\nrules:\n  run-as-root: high\n'), 'scan', '.');
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toEqual([
      'podguard: .podguard.yml:1: "profile" must be one of baseline, restricted (got a string)',
      '.podguard.yml:3: "rules.run-as-root" must be one of off, note, warning, error (got a string)',
    ]);
  });

  it('names the inline configuration when there is no file', () => {
    expect(() => settingsFromObject({ rules: { nope: 'off' } }, ALL_RULES, '(inline configuration)')).toThrow(
      '(inline configuration): unknown rule "nope"',
    );
  });

  it('refuses an ignore entry whose until is no calendar date, and keeps real ones (leap days included)', () => {
    const entry = (until: string) => ({ ignore: [{ kind: 'Deployment', name: 'a', rules: ['run-as-root'], reason: 'vendored', until }] });
    for (const bad of ['2026-02-30', '2026-13-01', '2026-04-31', '2025-02-29', '2026-00-10']) {
      expect(() => settingsFromObject(entry(bad), ALL_RULES, 'x.yml')).toThrow(
        'x.yml: "ignore.0.until" is not a calendar date (YYYY-MM-DD)',
      );
    }
    for (const good of ['2028-02-29', '2026-12-31', '2026-01-01']) {
      expect(settingsFromObject(entry(good), ALL_RULES, 'x.yml').ignores[0]?.until).toBe(good);
    }
  });

  it('treats a key left empty as absent', () => {
    const s = settingsFromObject({ exclude: null, allowedImages: null, profile: 'baseline' }, ALL_RULES, 'x');
    expect([s.exclude, s.allowedImages, s.profile]).toEqual([[], [], 'baseline']);
  });
});

describe('podguard init', () => {
  it('writes a commented starter file that validates, lists every rule, and refuses to overwrite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-init-'));
    const first = await cli(dir, 'init');
    expect(first.code).toBe(0);
    const text = readFileSync(join(dir, '.podguard.yml'), 'utf8');
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${SCHEMA_URL}`);
    for (const r of ALL_RULES) expect(text).toMatch(new RegExp(`^  # ${r.meta.id}:( ${r.meta.level})?\\s`, 'm'));
    // Nothing to check in the directory: exit 2 unless an empty scan is allowed.
    expect((await cli(dir, 'scan', '.')).code).toBe(2);
    expect((await cli(dir, 'scan', '.', '--allow-empty')).code).toBe(0);

    writeFileSync(join(dir, '.podguard.yml'), 'profile: baseline\n');
    const again = await cli(dir, 'init');
    expect(again.code).toBe(2);
    expect(again.err).toContain('.podguard.yml already exists; use --force');
    expect(readFileSync(join(dir, '.podguard.yml'), 'utf8')).toBe('profile: baseline\n');
    expect((await cli(dir, 'init', '--force')).code).toBe(0);
    expect(readFileSync(join(dir, '.podguard.yml'), 'utf8')).toBe(text);
    expect((await cli(dir, 'init', 'other.yml')).code).toBe(0);
    const nowhere = await cli(dir, 'init', 'missing-dir/.podguard.yml');
    expect([nowhere.code, nowhere.err]).toEqual([2, 'podguard: cannot write missing-dir/.podguard.yml (ENOENT)\n']);
  });

  it('stays valid with every commented rule and option switched on (defaults round-trip)', () => {
    const uncommented = starterConfig(ALL_RULES)
      .split('\n')
      .map((l) => l.replace(/^ {2}# (?=[a-z-]+:|\s+[a-zA-Z]+:)/, '  ').replace(/^ {2}# {3}/, '    '))
      .join('\n');
    const parsed = parseYaml(uncommented);
    expect(parsed.problems).toEqual([]);
    const settings = settingsFromObject(toJS(parsed.docs[0]!.root), ALL_RULES, 'starter');
    expect(Object.keys(settings.rules).sort()).toEqual(ALL_RULES.map((r) => r.meta.id).sort());
    for (const r of ALL_RULES) {
      expect(settings.rules[r.meta.id]).toEqual({ level: r.meta.level, options: r.meta.defaultOptions ?? {} });
    }
  });
});
