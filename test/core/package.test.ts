/**
 * The npm package and the repository's distribution files: the packed tarball installs nothing
 * else and runs offline, every bundle runs without node_modules, the licence ships everywhere.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { BUNDLES } from '../../scripts/build.mjs';
import { SCHEMA_ID } from '../../src/config/schema.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (p: string): string => readFileSync(join(ROOT, p), 'utf8');
const pkg = JSON.parse(read('package.json'));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const PRIVILEGED_POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        privileged: true
`;

describe('package.json', () => {
  it('has no runtime dependencies: every library is bundled into dist/', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.peerDependencies ?? {}).toEqual({});
    expect(pkg.optionalDependencies ?? {}).toEqual({});
  });

  it('ships the licence and names MIT', () => {
    expect(pkg.license).toBe('MIT');
    expect(pkg.files).toContain('LICENSE');
    expect(read('LICENSE')).toMatch(/^MIT License\n\nCopyright \(c\) 2026 podguard contributors\n/);
  });

  it('puts LICENSE into the .vsix', () => {
    const manifest = JSON.parse(read('vss-extension.json'));
    expect(manifest.files).toContainEqual({ path: 'LICENSE' });
    expect(manifest.content.license).toEqual({ path: 'LICENSE' });
  });

  it('gives the configuration schema a stable $id on the default branch (SchemaStore links it)', () => {
    const schema = JSON.parse(read('schema/podguard.schema.json'));
    expect(schema.$id).toBe(SCHEMA_ID);
    expect(SCHEMA_ID).toBe('https://raw.githubusercontent.com/podguard/podguard/main/schema/podguard.schema.json');
  });
});

describe('.pre-commit-hooks.yaml', () => {
  it('declares a node hook that runs podguard scan on the staged files', () => {
    const hooks = yaml.load(read('.pre-commit-hooks.yaml')) as Record<string, unknown>[];
    expect(hooks).toHaveLength(1);
    const [hook] = hooks;
    expect(hook).toMatchObject({ id: 'podguard', language: 'node', entry: 'podguard scan', pass_filenames: true });
    // The entry's first word is the package's bin, which pre-commit installs from this repository.
    expect(Object.keys(pkg.bin)).toContain('podguard');
  });
});

describe('the bundles', () => {
  it.each(BUNDLES.map((b) => b.out))('%s loads without node_modules', (out) => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-bundle-'));
    const file = join(dir, out.split('/').pop()!);
    copyFileSync(join(ROOT, out), file);
    if (!out.startsWith('task/')) writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    const run = spawnSync(process.execPath, [file, '--version'], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
      timeout: 30_000,
    });
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/Cannot find (module|package)|ERR_MODULE_NOT_FOUND|MODULE_NOT_FOUND/);
  });
});

describe('the packed tarball', () => {
  it('installs offline with nothing else and runs npx podguard scan', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-pack-'));
    execFileSync(NPM, ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
    const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    const app = join(dir, 'app');
    mkdirSync(join(app, 'k8s'), { recursive: true });
    writeFileSync(join(app, 'package.json'), '{"name":"app","private":true}');
    writeFileSync(join(app, 'k8s', 'pod.yaml'), PRIVILEGED_POD);
    // An empty cache: --offline fails on any package it would have to fetch.
    const cache = join(dir, 'cache');
    execFileSync(NPM, ['install', '--offline', '--no-audit', '--no-fund', '--cache', cache, join(dir, tgz)], {
      cwd: app,
      encoding: 'utf8',
    });
    expect(readdirSync(join(app, 'node_modules')).filter((n) => !n.startsWith('.'))).toEqual(['podguard']);
    const installed = readdirSync(join(app, 'node_modules', 'podguard')).sort();
    expect(installed).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'dist', 'package.json', 'schema']));
    const run = spawnSync('npx', ['--offline', '--no', 'podguard', 'scan', 'k8s'], {
      cwd: app,
      encoding: 'utf8',
      env: { ...process.env, npm_config_cache: cache, NO_COLOR: '1' },
    });
    expect(run.stdout).toContain('privileged-container');
    expect(run.status).toBe(1);
  }, 120_000);
});
