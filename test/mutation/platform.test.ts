/**
 * The faces' shared input validators (`src/platform/inputs.ts`) and the Action's safe log writer
 * (`src/platform/safe-core.ts`), pinned for mutation testing (issue #21): what each input
 * accepts, the exact refusal and the input it names, and that every logged line is made safe.
 */
import {
  FAIL_ON,
  MAX_THREADS,
  configurationMessage,
  forInput,
  inPaths,
  isGlob,
  parseBool,
  parseFailOn,
  parseImagePatterns,
  parseKubernetesVersion,
  parseLines,
  parseOneOf,
  parsePaths,
  parseThreads,
} from '../../src/platform/inputs.js';
import { safeCore } from '../../src/platform/safe-core.js';
import type { ActionsCore, Annotation } from '../../src/platform/safe-core.js';
import { ConfigurationError } from '../../src/types.js';

/** The refusal `f` throws: its message and the input it names. */
function refusal(f: () => unknown): { message: string; input: string | undefined } {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigurationError);
    return { message: (err as ConfigurationError).message, input: (err as ConfigurationError).input };
  }
  throw new Error('accepted');
}

describe('parseOneOf and parseFailOn', () => {
  it('takes an allowed value (trimmed), the fallback for empty or absent, and refuses the rest naming the input', () => {
    expect(parseOneOf(' b ', 'input x', ['a', 'b'], 'a')).toBe('b');
    expect(parseOneOf('', 'x', ['a', 'b'], 'a')).toBe('a');
    expect(parseOneOf('   ', 'x', ['a', 'b'], 'b')).toBe('b');
    expect(parseOneOf(undefined, 'x', ['a', 'b'], 'b')).toBe('b');
    expect(refusal(() => parseOneOf('B', 'x', ['a', 'b'], 'a'))).toEqual({ message: 'input x must be one of a, b (got "B")', input: 'x' });
    expect(refusal(() => parseOneOf('c', '--flag', ['a', 'b'], 'a'))).toEqual({
      message: '--flag must be one of a, b (got "c")',
      input: '--flag',
    });
    expect(refusal(() => parseOneOf('c', 'input failOn', ['a'], 'a'))).toEqual({
      message: 'input failOn must be one of a (got "c")',
      input: 'failOn',
    });
  });

  it('gates on error by default and knows exactly four levels', () => {
    expect([...FAIL_ON]).toEqual(['error', 'warning', 'note', 'never']);
    expect(parseFailOn(undefined, 'fail-on')).toBe('error');
    for (const level of FAIL_ON) expect(parseFailOn(level, 'fail-on')).toBe(level);
    expect(refusal(() => parseFailOn('none', 'fail-on'))).toEqual({
      message: 'input fail-on must be one of error, warning, note, never (got "none")',
      input: 'fail-on',
    });
  });
});

describe('parseBool', () => {
  it('takes true and false in any case, the fallback for empty, and refuses anything else', () => {
    expect(parseBool('TRUE', 'x', false)).toBe(true);
    expect(parseBool(' False ', 'x', true)).toBe(false);
    expect(parseBool('', 'x', true)).toBe(true);
    expect(parseBool(undefined, 'x', false)).toBe(false);
    for (const bad of ['yes', '1', 'truee', 'no']) {
      expect(refusal(() => parseBool(bad, 'annotations', true))).toEqual({
        message: `input annotations must be true or false (got "${bad}")`,
        input: 'annotations',
      });
    }
  });
});

describe('parseLines, parsePaths and parseImagePatterns', () => {
  it('splits on LF and CRLF only, trims, drops empty and # lines, keeps commas and inner #', () => {
    expect(parseLines(' a \r\n\n# c\n  #d\nb,{x,y}\r\nc#d\n\t\n')).toEqual(['a', 'b,{x,y}', 'c#d']);
    expect(parseLines(undefined)).toEqual([]);
    expect(parseLines('')).toEqual([]);
  });

  it('defaults paths to the workspace; with relativeOnly refuses absolute paths and any ".." segment', () => {
    expect(parsePaths('', 'paths', true)).toEqual(['.']);
    expect(parsePaths('# only a comment', 'paths', true)).toEqual(['.']);
    expect(parsePaths('k8s\n./a/b\na..b/c', 'paths', true)).toEqual(['k8s', './a/b', 'a..b/c']);
    expect(refusal(() => parsePaths('ok\n/etc', 'paths', true))).toEqual({
      message: 'input paths: "/etc" must be relative to the workspace, without ".."',
      input: 'paths',
    });
    for (const bad of ['..', 'a/../b', 'a\\..\\b', '../x']) expect(refusal(() => parsePaths(bad, 'paths', true)).input).toBe('paths');
    // Without relativeOnly the engine's containment judges them.
    expect(parsePaths('/etc\n../x', '--path', false)).toEqual(['/etc', '../x']);
  });

  it('checks each image pattern as the configuration does, naming the pattern and the input', () => {
    expect(parseImagePatterns('mcr.microsoft.com/**\n# c\nmyacr.azurecr.io/team/*', 'allowed-images')).toEqual([
      'mcr.microsoft.com/**',
      'myacr.azurecr.io/team/*',
    ]);
    expect(parseImagePatterns(undefined, 'allowed-images')).toEqual([]);
    expect(refusal(() => parseImagePatterns('ok.io/**\nNginx', 'allowed-images'))).toEqual({
      message: 'input allowed-images: "Nginx" must be lowercase (image names are)',
      input: 'allowed-images',
    });
  });
});

describe('parseKubernetesVersion', () => {
  it('takes 1.N, 1.N.P and vN forms as the minor version; empty is none', () => {
    expect(parseKubernetesVersion('1.30', 'k')).toEqual({ version: '1.30' });
    expect(parseKubernetesVersion(' v1.30.2 ', 'k')).toEqual({ version: '1.30' });
    expect(parseKubernetesVersion('1.0', 'k')).toEqual({ version: '1.0' });
    expect(parseKubernetesVersion('1.34.1234', 'k')).toEqual({ version: '1.34' });
    expect(parseKubernetesVersion('', 'k')).toBeUndefined();
    expect(parseKubernetesVersion(undefined, 'k')).toBeUndefined();
  });

  it('warns past the data it has (1.34), exactly from the next minor', () => {
    expect(parseKubernetesVersion('1.34', 'kubernetesVersion')).toEqual({ version: '1.34' });
    expect(parseKubernetesVersion('1.9', 'kubernetesVersion')).toEqual({ version: '1.9' });
    expect(parseKubernetesVersion('1.35', 'kubernetesVersion')).toEqual({
      version: '1.35',
      warning:
        'input kubernetesVersion: podguard knows API removals up to Kubernetes 1.34; removals in later releases are not checked (update podguard)',
    });
    expect(parseKubernetesVersion('1.100', '--kubernetes-version')?.warning).toMatch(/^--kubernetes-version: podguard knows/);
  });

  it('refuses anything else, naming the input', () => {
    for (const bad of ['2.1', '1', '1.', '1.01', '1.1000', '1.30.12345', 'V1.30', '1.30-rc', 'x1.30', '1.30.', '1.3a']) {
      expect(refusal(() => parseKubernetesVersion(bad, 'kubernetes-version'))).toEqual({
        message: `input kubernetes-version must be a Kubernetes version such as 1.34 or 1.34.2 (got "${bad}")`,
        input: 'kubernetes-version',
      });
    }
  });
});

describe('parseThreads', () => {
  it('takes 1 to 16, none for empty, and refuses the rest (cut to 20 characters)', () => {
    expect(MAX_THREADS).toBe(16);
    expect(parseThreads('', 'threads')).toBeUndefined();
    expect(parseThreads(undefined, 'threads')).toBeUndefined();
    expect(parseThreads(' 1 ', 'threads')).toBe(1);
    expect(parseThreads('9', 'threads')).toBe(9);
    expect(parseThreads('10', 'threads')).toBe(10);
    expect(parseThreads('16', 'threads')).toBe(16);
    for (const bad of ['0', '17', '99', '01', '1.5', '-1', '100', 'two']) {
      expect(refusal(() => parseThreads(bad, '--threads'))).toEqual({
        message: `--threads must be a whole number from 1 to 16 (got "${bad}")`,
        input: '--threads',
      });
    }
    expect(refusal(() => parseThreads('1'.repeat(40), 'threads')).message).toBe(
      `input threads must be a whole number from 1 to 16 (got "${'1'.repeat(20)}")`,
    );
  });
});

describe('isGlob and inPaths', () => {
  const files = ['a.yaml', 'k8s/app/d.yaml', 'k8s/app/.hidden/h.yaml', 'k8sx/e.yaml', 'docker/Dockerfile', 'x/k8s/f.yaml'];

  it('tells globs from paths', () => {
    expect(['*.yaml', 'k8s/**', 'a/{b,c}', 'a?b'].map(isGlob)).toEqual([true, true, true, true]);
    expect(['k8s', './k8s/app', 'a.yaml'].map(isGlob)).toEqual([false, false, false]);
  });

  it('takes files under a directory (not a name prefix), a file itself, everything for "." and dot files for globs', () => {
    expect(inPaths(['k8s'], files)).toEqual(['k8s/app/d.yaml', 'k8s/app/.hidden/h.yaml']);
    expect(inPaths(['./k8s/app/'], files)).toEqual(['k8s/app/d.yaml', 'k8s/app/.hidden/h.yaml']);
    expect(inPaths(['k8s\\app'], files)).toEqual(['k8s/app/d.yaml', 'k8s/app/.hidden/h.yaml']);
    expect(inPaths(['a.yaml'], files)).toEqual(['a.yaml']);
    expect(inPaths(['.'], files)).toEqual(files);
    expect(inPaths(['./'], files)).toEqual(files);
    expect(inPaths(['./k8s/**/*.yaml'], files)).toEqual(['k8s/app/d.yaml', 'k8s/app/.hidden/h.yaml']);
    expect(inPaths(['**/Dockerfile', 'k8sx'], files)).toEqual(['k8sx/e.yaml', 'docker/Dockerfile']);
    expect(inPaths([], files)).toEqual([]);
    expect(inPaths(['nothing'], files)).toEqual([]);
  });

  it('strips only a leading "./" from a glob and never reads a glob as a literal path', () => {
    // A "./" inside the glob is part of a directory name: only the leading one is dropped.
    expect(inPaths(['v1./*.yaml'], ['v1./a.yaml', 'v1a.yaml'])).toEqual(['v1./a.yaml']);
    expect(inPaths(['./v1./*.yaml'], ['v1./a.yaml', 'v1a.yaml'])).toEqual(['v1./a.yaml']);
    // A glob matches files (and, as picomatch does, its own literal text), never the files under
    // a directory of that literal name, as a plain path would.
    expect(inPaths(['k8s/[ab]'], ['k8s/[ab]/x.yaml', 'k8s/a/x.yaml', 'k8s/a'])).toEqual(['k8s/a']);
  });
});

describe('configurationMessage and forInput', () => {
  it('prefixes the input only when the message does not name it', () => {
    expect(configurationMessage(new ConfigurationError('bad value', { input: 'failOn' }))).toBe('input failOn: bad value');
    expect(configurationMessage(new ConfigurationError('input failOn must be ...', { input: 'failOn' }))).toBe('input failOn must be ...');
    expect(configurationMessage(new ConfigurationError('plain'))).toBe('plain');
  });

  it("renames an engine error for the face's input, a fallback for others, and passes everything else through", () => {
    const names = { paths: 'scanPaths', allowImages: 'allowedImages' };
    const renamed = forInput(new ConfigurationError('path not found: x', { input: 'paths' }), names) as ConfigurationError;
    expect(renamed).toBeInstanceOf(ConfigurationError);
    expect([renamed.message, renamed.input]).toEqual(['input scanPaths: path not found: x', 'scanPaths']);
    const pattern = forInput(
      new ConfigurationError('--allow-image "X" must be lowercase', { input: 'allowImages' }),
      names,
    ) as ConfigurationError;
    expect([pattern.message, pattern.input]).toEqual(['input allowedImages: "X" must be lowercase', 'allowedImages']);
    // Only the CLI flag's own wording is dropped, and only at the start.
    const other = forInput(new ConfigurationError('see --allow-image docs', { input: 'paths' }), names) as ConfigurationError;
    expect(other.message).toBe('input scanPaths: see --allow-image docs');
    const fallback = forInput(new ConfigurationError('.podguard.yml: bad', { input: 'rules' }), names, 'config') as ConfigurationError;
    expect([fallback.message, fallback.input]).toEqual(['input config: .podguard.yml: bad', 'config']);
    const noInput = forInput(new ConfigurationError('bad'), names, 'config') as ConfigurationError;
    expect([noInput.message, noInput.input]).toEqual(['input config: bad', 'config']);
    const untouched = new ConfigurationError('bad', { input: 'rules' });
    expect(forInput(untouched, names)).toBe(untouched);
    const crash = new Error('boom');
    expect(forInput(crash, names, 'config')).toBe(crash);
    expect(forInput('text', names, 'config')).toBe('text');
  });
});

describe('safeCore', () => {
  /** A recording core: every call with its arguments. */
  function recorder(): { core: ActionsCore; calls: unknown[][] } {
    const calls: unknown[][] = [];
    const rec =
      (name: string) =>
      (...args: unknown[]): undefined => {
        calls.push([name, ...args]);
        return undefined;
      };
    const core: ActionsCore = {
      getInput: (n) => {
        calls.push(['getInput', n]);
        return `value of ${n}`;
      },
      setOutput: rec('setOutput'),
      setSecret: rec('setSecret'),
      setFailed: rec('setFailed'),
      isDebug: () => true,
      debug: rec('debug'),
      info: rec('info'),
      error: rec('error'),
      warning: rec('warning'),
      notice: rec('notice'),
      summary: { addRaw: () => ({ write: async () => undefined }) },
    };
    return { core, calls };
  }
  const forged = 'ok\n::error::forged\r\n::add-mask::x';
  const at: Annotation = { title: 'T\n::warning::t', file: 'a.yaml', startLine: 2, endLine: 3, startColumn: 1, endColumn: 4 };

  it('makes every logged message and annotation title safe, and passes the rest through unchanged', () => {
    const { core, calls } = recorder();
    const safe = safeCore(core);
    expect(safe.getInput('fail-on')).toBe('value of fail-on');
    expect(safe.isDebug()).toBe(true);
    expect(safe.summary).toBe(core.summary);
    safe.setOutput('count', 3);
    safe.setSecret('s3cr3t-value');
    safe.setFailed(forged);
    safe.debug(forged);
    safe.info(forged);
    safe.error(forged);
    safe.warning(forged, at);
    safe.notice(forged);
    safe.error('e', at);
    safe.notice('n', at);
    safe.warning('w');
    for (const c of calls) {
      for (const arg of c.slice(1)) {
        const text = typeof arg === 'string' ? arg : JSON.stringify(arg);
        expect(text).not.toMatch(/(^|\n)::/);
      }
    }
    expect(calls.map((c) => [c[0], c.length])).toEqual([
      ['getInput', 2],
      ['setOutput', 3],
      ['setSecret', 2],
      ['setFailed', 2],
      ['debug', 2],
      ['info', 2],
      ['error', 2],
      ['warning', 3],
      ['notice', 2],
      ['error', 3],
      ['notice', 3],
      ['warning', 2],
    ]);
    expect(calls[1]).toEqual(['setOutput', 'count', 3]);
    expect(calls[2]).toEqual(['setSecret', 's3cr3t-value']);
    // The annotation keeps its place; only its title is made safe.
    const props = calls[7]![2] as Annotation;
    expect({ ...props, title: 'x' }).toEqual({ ...at, title: 'x' });
    expect(props.title).not.toBe(at.title);
    expect(props.title.startsWith('T')).toBe(true);
    expect(calls[9]).toEqual(['error', 'e', { ...at, title: props.title }]);
    expect(calls[10]).toEqual(['notice', 'n', { ...at, title: props.title }]);
  });

  it('folds only where the core can, with a group name that stays one safe line', () => {
    const { core, calls } = recorder();
    expect(safeCore(core).startGroup).toBeUndefined();
    expect(safeCore(core).endGroup).toBeUndefined();
    const folding: ActionsCore = {
      ...core,
      startGroup: (n) => void calls.push(['startGroup', n]),
      endGroup: () => void calls.push(['endGroup']),
    };
    const safe = safeCore(folding);
    safe.startGroup!('podguard: 3 findings\n::error::forged');
    safe.endGroup!();
    // The line break is shown as `\n`, so `::error::` never starts a line of its own.
    expect(calls).toEqual([['startGroup', 'podguard: 3 findings\\n::error::forged'], ['endGroup']]);
  });
});
