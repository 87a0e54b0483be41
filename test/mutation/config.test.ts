/**
 * The configuration loader's contract, pinned for mutation testing (issue #21): every kind of
 * error message (what a value is, never what it says), where it points, and every key read.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG_FILE, loadSettings, settingsFromObject } from '../../src/config/load.js';
import { defaultSettings } from '../../src/config/settings.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { ConfigurationError } from '../../src/types.js';

/** The message settingsFromObject throws for `input` (labelled `c.yml`). */
function refusal(input: unknown): string {
  try {
    settingsFromObject(input, ALL_RULES, 'c.yml');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigurationError);
    return (err as Error).message;
  }
  throw new Error('the configuration was accepted');
}

function dir(files: Record<string, string> = {}): string {
  const d = mkdtempSync(join(tmpdir(), 'pg-mut-config-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(d, p, '..'), { recursive: true });
    writeFileSync(join(d, p), text);
  }
  return d;
}

function loadRefusal(root: string, configPath?: string, repoRoot?: string): string {
  try {
    loadSettings(root, configPath, ALL_RULES, repoRoot);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigurationError);
    return (err as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('settingsFromObject: values read', () => {
  it('gives the defaults, labelled, for an empty file', () => {
    for (const empty of [null, undefined])
      expect(settingsFromObject(empty, ALL_RULES, 'c.yml')).toEqual({ ...defaultSettings(), configFile: 'c.yml' });
    expect(settingsFromObject({}, ALL_RULES, 'c.yml')).toEqual({ ...defaultSettings(), configFile: 'c.yml' });
  });

  it('reads every top-level key', () => {
    const s = settingsFromObject(
      {
        profile: 'baseline',
        allowedImages: ['mcr.microsoft.com/**', 'alpine'],
        deniedImages: ['docker.io/library/ubuntu'],
        requireDigest: true,
        exclude: ['docs/**'],
        baseline: 'b.json',
        maxFileBytes: 2048,
        kubernetesVersion: '1.30',
        admissionPolicies: ['policies/'],
      },
      ALL_RULES,
      'c.yml',
    );
    expect([
      s.profile,
      s.allowedImages,
      s.deniedImages,
      s.requireDigest,
      s.exclude,
      s.baseline,
      s.maxFileBytes,
      s.kubernetesVersion,
      s.admissionPolicies,
    ]).toEqual([
      'baseline',
      ['mcr.microsoft.com/**', 'alpine'],
      ['docker.io/library/ubuntu'],
      true,
      ['docs/**'],
      'b.json',
      2048,
      '1.30',
      ['policies/'],
    ]);
    expect(settingsFromObject({ profile: 'restricted', requireDigest: false }, ALL_RULES, 'c.yml')).toMatchObject({
      profile: 'restricted',
      requireDigest: false,
    });
  });

  it('reads rule levels and options, and YAML 1.1 `off` (false) as the level off', () => {
    const s = settingsFromObject(
      {
        rules: {
          'run-as-root': { level: 'warning', minUid: 1000 },
          'privileged-container': 'note',
          'image-tag': false,
          'host-port': { level: false },
          'host-path': {},
        },
      },
      ALL_RULES,
      'c.yml',
    );
    expect(s.rules).toEqual({
      'run-as-root': { level: 'warning', options: { minUid: 1000 } },
      'privileged-container': { level: 'note', options: {} },
      'image-tag': { level: 'off', options: {} },
      'host-port': { level: 'off', options: {} },
      'host-path': { level: undefined, options: {} },
    });
  });

  it('reads the render block, normalising chart directories', () => {
    const s = settingsFromObject(
      {
        render: {
          mode: 'required',
          helm: '/opt/helm',
          kustomize: '/opt/kustomize',
          timeoutSeconds: 30,
          enableHelm: true,
          charts: {
            'charts/a//': { valuesFiles: ['v.yaml', 'w.yaml'], releaseName: 'rel', namespace: 'ns' },
            './b': {},
            './': { valuesFiles: [] },
          },
        },
      },
      ALL_RULES,
      'c.yml',
    );
    expect(s.render).toEqual({
      mode: 'required',
      helm: '/opt/helm',
      kustomize: '/opt/kustomize',
      timeoutSeconds: 30,
      enableHelm: true,
      charts: {
        'charts/a': { valuesFiles: ['v.yaml', 'w.yaml'], releaseName: 'rel', namespace: 'ns' },
        b: { valuesFiles: [] },
        '.': { valuesFiles: [] },
      },
    });
    for (const mode of ['optional', 'off'] as const)
      expect(settingsFromObject({ render: { mode } }, ALL_RULES, 'c.yml').render.mode).toBe(mode);
    expect(settingsFromObject({ render: { enableHelm: false } }, ALL_RULES, 'c.yml').render).toEqual(defaultSettings().render);
  });

  it('counts a key left empty as absent', () => {
    expect(settingsFromObject({ rules: null, render: null, baseline: null }, ALL_RULES, 'c.yml')).toEqual({
      ...defaultSettings(),
      configFile: 'c.yml',
    });
  });
});

describe('settingsFromObject: errors say what a value is, never what it says', () => {
  it.each([
    [{ requireDigest: 'hunter2' }, '"requireDigest" must be true or false (got a string)'],
    [{ requireDigest: [] }, '"requireDigest" must be true or false (got a list)'],
    [{ requireDigest: {} }, '"requireDigest" must be true or false (got a mapping)'],
    [{ requireDigest: 42 }, '"requireDigest" must be true or false (got 42)'],
    [{ requireDigest: -999999 }, '"requireDigest" must be true or false (got -999999)'],
    [{ requireDigest: 1000000 }, '"requireDigest" must be true or false (got a number)'],
    [{ requireDigest: -1000000 }, '"requireDigest" must be true or false (got a number)'],
    [{ requireDigest: 1.5 }, '"requireDigest" must be true or false (got a number)'],
    [{ profile: true }, '"profile" must be one of baseline, restricted (got true)'],
    [{ profile: false }, '"profile" must be one of baseline, restricted (got false)'],
    [{ exclude: 'docs/**' }, '"exclude" must be a list (got a string)'],
    [{ render: 'x' }, '"render" must be a mapping (got a string)'],
    [{ baseline: 1 }, '"baseline" must be a string (got 1)'],
    [{ maxFileBytes: 'big' }, '"maxFileBytes" must be a whole number (got a string)'],
    [{ maxFileBytes: 10 }, '"maxFileBytes" must be >= 1024 (got 10)'],
    [{ rules: [] }, '"rules" must be a mapping (got a list)'],
    [['profile'], '"(top level)" must be a mapping (got a list)'],
    ['profile: baseline', '"(top level)" must be a mapping (got a string)'],
  ])('%j', (input, message) => {
    expect(refusal(input)).toBe(`c.yml: ${message}`);
  });

  it('explains an unquoted Kubernetes version', () => {
    expect(refusal({ kubernetesVersion: 1.3 })).toBe(
      'c.yml: "kubernetesVersion" must be a quoted minor version such as "1.34" (unquoted, YAML reads 1.30 as 1.3; got a number)',
    );
    expect(refusal({ kubernetesVersion: '2.0' })).toBe(
      'c.yml: "kubernetesVersion" must be a quoted minor version such as "1.34" (unquoted, YAML reads 1.30 as 1.3; got a string)',
    );
  });

  it('keeps only the errors of the branch a rule entry took (a level, or options)', () => {
    expect(refusal({ rules: { 'run-as-root': 'fatal' } })).toBe(
      'c.yml: "rules.run-as-root" must be one of off, note, warning, error (got a string)',
    );
    expect(refusal({ rules: { 'run-as-root': true } })).toBe(
      'c.yml: "rules.run-as-root" must be one of off, note, warning, error (got true)',
    );
    expect(refusal({ rules: { 'run-as-root': { level: 'fatal' } } })).toBe(
      'c.yml: "rules.run-as-root.level" must be one of off, note, warning, error (got a string)',
    );
    expect(refusal({ rules: { 'run-as-root': { minUid: 0 } } })).toBe('c.yml: "rules.run-as-root.minUid" must be >= 1 (got 0)');
  });

  it('names unknown keys with the closest known name (at most 3 edits away)', () => {
    expect(refusal({ exlude: [] })).toMatch(
      /^c\.yml: unknown key "exlude" \(did you mean "exclude"\?\); known keys: profile, rules, allowedImages, deniedImages, requireDigest, exclude, baseline, maxFileBytes, kubernetesVersion, overrides, ignore, admissionPolicies, render$/,
    );
    expect(refusal({ xxclude: [] })).toContain('unknown key "xxclude" (did you mean "exclude"?)');
    expect(refusal({ xxxlude: [] })).toContain('unknown key "xxxlude" (did you mean "exclude"?)');
    expect(refusal({ xxxxxde: [] })).toMatch(/^c\.yml: unknown key "xxxxxde"; known keys: profile,/);
    // Equally close names: the first known one; a closer one later wins.
    expect(refusal({ rendr: 1 })).toContain('(did you mean "render"?)');
    expect(refusal({ profil: 1 })).toContain('(did you mean "profile"?)');
  });

  it('names unknown rules, options and nested keys', () => {
    expect(refusal({ rules: { 'run-as-roo': 'off' } })).toBe(
      'c.yml: unknown rule "run-as-roo" under "rules" (did you mean "run-as-root"?); podguard rules lists every rule',
    );
    expect(refusal({ rules: { 'zzzzzzzzzzzz-qqqq': 'off' } })).toBe(
      'c.yml: unknown rule "zzzzzzzzzzzz-qqqq" under "rules"; podguard rules lists every rule',
    );
    expect(refusal({ rules: { 'run-as-root': { maxUid: 1 } } })).toBe(
      'c.yml: unknown option "rules.run-as-root.maxUid"; run-as-root takes level, minUid',
    );
    expect(refusal({ rules: { 'privileged-container': { strict: true } } })).toBe(
      'c.yml: unknown option "rules.privileged-container.strict"; privileged-container takes level (it has no options)',
    );
    expect(refusal({ render: { helmm: 'x' } })).toBe('c.yml: unknown key "render.helmm"');
    expect(refusal({ render: { charts: { c: { values: [] } } } })).toBe('c.yml: unknown key "render.charts.c.values"');
  });

  it('decodes / and ~ in key paths', () => {
    expect(refusal({ render: { charts: { 'a/b~c': { releaseName: 'Bad_Name' } } } })).toBe(
      'c.yml: "render.charts.a/b~c.releaseName" must match pattern "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$" (got a string)',
    );
    expect(refusal({ render: { charts: { 'a/b~c': { nope: 1 } } } })).toBe('c.yml: unknown key "render.charts.a/b~c.nope"');
  });

  it('shortens a long key name and makes it one safe line', () => {
    const message = refusal({ [`${'k'.repeat(100)}\n::error::x`]: 1 });
    expect(message.split('\n')).toHaveLength(1);
    expect(message).not.toContain('k'.repeat(61));
    expect(message).not.toContain('::error::');
  });

  it('reports every distinct problem once, each on its own line', () => {
    expect(refusal({ profile: 'strict', requireDigest: 'x', exclude: 'y' }).split('\n')).toEqual([
      'c.yml: "profile" must be one of baseline, restricted (got a string)',
      'c.yml: "requireDigest" must be true or false (got a string)',
      'c.yml: "exclude" must be a list (got a string)',
    ]);
  });

  it('checks image patterns, naming the list and the index', () => {
    expect(refusal({ allowedImages: ['alpine', 'Alpine'] })).toBe('c.yml: "allowedImages.1" must be lowercase (image names are)');
    expect(refusal({ deniedImages: ['x@sha256:ab'] })).toMatch(/^c\.yml: "deniedImages\.0" must not hold a digest/);
  });
});

describe('loadSettings', () => {
  it('finds .podguard.yml in the root, or gives the defaults without it', () => {
    expect(DEFAULT_CONFIG_FILE).toBe('.podguard.yml');
    const root = dir({ '.podguard.yml': 'profile: baseline\n' });
    expect(loadSettings(root, undefined, ALL_RULES)).toMatchObject({ profile: 'baseline', configFile: '.podguard.yml' });
    expect(loadSettings(dir(), undefined, ALL_RULES)).toEqual(defaultSettings());
    // A root that is a file (ENOTDIR) has no configuration either.
    expect(loadSettings(join(root, '.podguard.yml'), undefined, ALL_RULES)).toEqual(defaultSettings());
  });

  it('reads an explicit file relative to the root or absolute, labelled relative to the repository', () => {
    const repo = dir({ 'sub/conf/p.yml': 'requireDigest: true\n' });
    expect(loadSettings(join(repo, 'sub'), 'conf/p.yml', ALL_RULES, repo)).toMatchObject({
      requireDigest: true,
      configFile: 'sub/conf/p.yml',
    });
    expect(loadSettings(join(repo, 'sub'), join(repo, 'sub/conf/p.yml'), ALL_RULES)).toMatchObject({ configFile: 'conf/p.yml' });
    expect(loadRefusal(repo, 'nope.yml')).toBe('configuration file not found: nope.yml');
    expect(loadRefusal(repo, 'sub')).toBe('sub: the configuration file is not a regular file');
  });

  it('refuses a dangling link named .podguard.yml instead of ignoring it', () => {
    const root = dir();
    symlinkSync(join(root, 'missing.yml'), join(root, '.podguard.yml'));
    expect(loadRefusal(root)).toBe('.podguard.yml: the configuration file does not exist');
  });

  it('points errors at the line of the key', () => {
    const root = dir({
      '.podguard.yml':
        'profile: baseline\n\nrules:\n  privileged-container: note\n  run-as-root:\n    level: error\n    maxUid: 3\nexlude: []\n',
    });
    expect(loadRefusal(root).split('\n')).toEqual([
      '.podguard.yml:8: unknown key "exlude" (did you mean "exclude"?); known keys: profile, rules, allowedImages, deniedImages, requireDigest, exclude, baseline, maxFileBytes, kubernetesVersion, overrides, ignore, admissionPolicies, render',
      '.podguard.yml:7: unknown option "rules.run-as-root.maxUid"; run-as-root takes level, minUid',
    ]);
    const nested = dir({ '.podguard.yml': 'render:\n  charts:\n    a:\n      releaseName: Bad\n' });
    expect(loadRefusal(nested)).toBe(
      '.podguard.yml:4: "render.charts.a.releaseName" must match pattern "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$" (got a string)',
    );
    const top = dir({ '.podguard.yml': '- a\n- b\n' });
    expect(loadRefusal(top)).toBe('.podguard.yml: "(top level)" must be a mapping (got a list)');
  });

  it('refuses bad YAML at its line, a syntax error before a duplicate key, and several documents', () => {
    expect(loadRefusal(dir({ '.podguard.yml': 'profile: baseline\nprofile: restricted\n' }))).toMatch(
      /^\.podguard\.yml:2: not valid YAML: .*profile/,
    );
    expect(loadRefusal(dir({ '.podguard.yml': 'profile: a\nprofile: b\nrules: [x\n' }))).toMatch(/^\.podguard\.yml:4: not valid YAML: /);
    expect(loadRefusal(dir({ '.podguard.yml': 'profile: baseline\n---\nprofile: restricted\n---\nrules: {}\n' }))).toBe(
      '.podguard.yml: holds 3 YAML documents; use one',
    );
    expect(loadSettings(dir({ '.podguard.yml': '# nothing yet\n' }), undefined, ALL_RULES)).toEqual({
      ...defaultSettings(),
      configFile: '.podguard.yml',
    });
  });

  it('suggests the closest rule id, the first of equals, up to three edits and no further', () => {
    // host-path is one edit away, host-port two: the closer one wins, wherever it is listed.
    expect(refusal({ rules: { 'host-pat': 'off' } })).toMatch(/unknown rule "host-pat" under "rules" \(did you mean "host-path"\?\)/);
    // Three edits from both: exactly three still suggests, and the first listed of equals wins.
    expect(refusal({ rules: { 'host-pxxx': 'off' } })).toMatch(/\(did you mean "host-path"\?\)/);
    // host-path is within reach (two edits) and listed first, but host-port is one edit away.
    expect(refusal({ rules: { 'host-prt': 'off' } })).toMatch(/\(did you mean "host-port"\?\)/);
    // Four edits from "exclude" (its last letter counts): no suggestion.
    expect(refusal({ excludezzzz: [] })).toMatch(/^c\.yml: unknown key "excludezzzz"; known keys: /);
  });

  it('names what an option-less rule takes, and an unknown key elsewhere as a key', () => {
    expect(refusal({ rules: { 'host-port': { level: 'error', ports: [] } } })).toBe(
      'c.yml: unknown option "rules.host-port.ports"; host-port takes level (it has no options)',
    );
    expect(refusal({ render: { mode: 'off', helmx: 'x' } })).toBe('c.yml: unknown key "render.helmx"');
    // Two levels deep but not under rules: an override entry's unknown key is a key, not an option.
    expect(refusal({ overrides: [{ files: ['a/**'], extra: 1 }] })).toBe('c.yml: unknown key "overrides.0.extra"');
  });

  it('reports every error of a file at once, and a null value as null', () => {
    expect(refusal({ profile: 'strict', requireDigest: 'yes' }).split('\n')).toHaveLength(2);
    expect(refusal({ render: { mode: null } })).toMatch(/"render\.mode" must be one of required, optional, off \(got null\)/);
  });

  it('refuses a rule set to null with a message, never a crash', () => {
    const text = refusal({ rules: { 'host-port': null } });
    // null is no mapping, so the errors of the level branch are the ones that apply.
    expect(text).toBe('c.yml: "rules.host-port" must be one of off, note, warning, error (got null)');
    expect(text).not.toMatch(/TypeError|Cannot read/);
  });

  it('reads off (YAML false) as the level off inside overrides too', () => {
    const s = settingsFromObject({ overrides: [{ files: ['legacy/**'], rules: { 'host-port': false } }] }, ALL_RULES, 'c.yml');
    expect(JSON.stringify(s.overrides)).toContain('"off"');
    expect(JSON.stringify(s.overrides)).not.toContain('false');
  });

  it('keys a chart by its directory: trailing slashes and a leading ./ go, ./ alone is the root', () => {
    const s = settingsFromObject({ render: { charts: { './': {}, 'v1./chart/': {} } } }, ALL_RULES, 'c.yml');
    expect(Object.keys(s.render.charts).sort()).toEqual(['.', 'v1./chart']);
    expect(Object.keys(settingsFromObject({ render: { charts: { '/': {} } } }, ALL_RULES, 'c.yml').render.charts)).toEqual(['.']);
  });

  it('names the file when the configuration path is the repository itself', () => {
    // relative(root, root) is empty: the label falls back to the path itself, never to nothing.
    const d = dir();
    let err: unknown;
    try {
      loadSettings(d, '.', ALL_RULES);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(`${d}: the configuration file is not a regular file`);
  });

  it('prefers a syntax error over a duplicate key of an earlier document', () => {
    // One document stops at its syntax error before duplicates are looked for; a second
    // document's syntax error comes after the first one's duplicate key.
    const text = loadRefusal(dir({ '.podguard.yml': 'profile: baseline\nprofile: restricted\n---\nrules: [x\n' }));
    expect(text).toMatch(/^\.podguard\.yml:5: not valid YAML: /);
    expect(text).not.toMatch(/profile/);
  });
});
