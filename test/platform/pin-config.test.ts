/**
 * A pull request must not loosen its own gate: its configuration and baseline come from the base
 * commit when it modifies them (base), fail the run (fail), or apply with a notice (head).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pinToBase } from '../../src/collect/base-config.js';
import type { PrConfigMode } from '../../src/collect/base-config.js';
import { ConfigurationError } from '../../src/types.js';
import { commit, sh, tempDir } from '../helpers/git.js';

const BASE_CONFIG = 'failOn: error\nbaseline: known.json\n';
const BASE_BASELINE = '{"version":1,"findings":[]}\n';

/** A repository whose HEAD changes `head` on top of a base commit; the pinned result for `mode`. */
async function pinned(head: Record<string, string | null>, mode: PrConfigMode, changed = Object.keys(head)) {
  const root = tempDir('pg-pin-');
  sh(root, 'init', '-q', '-b', 'main');
  const base = commit(root, 'base', { '.podguard.yml': BASE_CONFIG, 'known.json': BASE_BASELINE, 'k8s/a.yaml': 'a: 1\n' });
  commit(root, 'change', head);
  const opts = { root, repoTop: root, base, changed, configFile: join(root, '.podguard.yml'), mode, tempDir: root, input: 'pr-config' };
  return pinToBase(opts).catch((err: unknown) => err as ConfigurationError);
}

describe('pinToBase: configuration and baseline', () => {
  it('leaves an unchanged configuration and baseline alone', async () => {
    expect(await pinned({ 'k8s/a.yaml': 'a: 2\n' }, 'base')).toEqual({ notices: [] });
  });

  it('base: the base commit’s configuration and baseline apply, with notices', async () => {
    const r = await pinned({ '.podguard.yml': 'failOn: never\nbaseline: known.json\n', 'known.json': '{"findings":[1]}\n' }, 'base');
    expect(r).toMatchObject({ config: { failOn: 'error', baseline: 'known.json' } });
    const pin = r as Awaited<ReturnType<typeof pinToBase>>;
    expect(readFileSync(pin.baseline as string, 'utf8')).toBe(BASE_BASELINE);
    expect(pin.notices).toEqual([
      "This change modifies .podguard.yml: the base commit's version applies, so a pull request cannot loosen its own gate (set pr-config: head to use the change's version).",
      "This change modifies the baseline known.json: the base commit's version applies.",
    ]);
  });

  it('base: a baseline the base commit lacks applies none; a configuration it lacks is the defaults', async () => {
    const r = await pinned({ '.podguard.yml': 'baseline: new.json\n', 'new.json': '{}\n' }, 'base');
    // The base configuration names known.json, which the change did not touch: nothing to pin there.
    expect(r).toMatchObject({ config: { baseline: 'known.json' } });
    expect((r as { baseline?: unknown }).baseline).toBeUndefined();
  });

  it('fail: names the pr-config input', async () => {
    const config = await pinned({ '.podguard.yml': 'failOn: never\n' }, 'fail');
    expect(config).toBeInstanceOf(ConfigurationError);
    expect([(config as ConfigurationError).input, (config as Error).message]).toEqual([
      'pr-config',
      "input pr-config: this change modifies .podguard.yml, and pr-config is fail; review it, or set pr-config: base to scan with the base commit's version",
    ]);
    const baseline = await pinned({ 'known.json': '{}\n' }, 'fail');
    expect([(baseline as ConfigurationError).input, (baseline as Error).message]).toEqual([
      'pr-config',
      'input pr-config: this change modifies the baseline known.json, and pr-config is fail',
    ]);
  });

  it('head: the change’s own files apply, with a notice each', async () => {
    const r = await pinned({ '.podguard.yml': 'failOn: never\nbaseline: known.json\n', 'known.json': '{}\n' }, 'head');
    expect(r).toEqual({
      notices: [
        'This change modifies .podguard.yml; its own version applies (pr-config: head).',
        'This change modifies the baseline known.json; its own version applies (pr-config: head).',
      ],
    });
  });

  it('refuses a base configuration that is not YAML', async () => {
    const root = tempDir('pg-pin-bad-');
    sh(root, 'init', '-q', '-b', 'main');
    const base = commit(root, 'base', { '.podguard.yml': 'rules: [1\n' });
    commit(root, 'change', { '.podguard.yml': 'rules: {}\n' });
    const opts = { root, repoTop: root, base, changed: ['.podguard.yml'], configFile: join(root, '.podguard.yml'), tempDir: root };
    await expect(pinToBase({ ...opts, mode: 'base', input: 'prConfig' })).rejects.toThrow(
      "the base commit's .podguard.yml is not valid YAML",
    );
  });
});
