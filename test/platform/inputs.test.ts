/** The input validators every face shares: one behaviour each, and errors that name their input. */
import {
  parseBool,
  parseFailOn,
  parseImagePatterns,
  parseKubernetesVersion,
  parseLines,
  parseOneOf,
  parsePaths,
  parseThreads,
} from '../../src/platform/inputs.js';
import { ConfigurationError } from '../../src/types.js';

/** The error a validator throws, or undefined. */
function thrown(fn: () => unknown): ConfigurationError | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigurationError) return err;
    throw err;
  }
  return undefined;
}

describe('shared input validators', () => {
  it('reads multi-line inputs one entry per line: trimmed, without empty or # comment lines, commas kept', () => {
    expect(parseLines(' k8s \r\n\n# old\n  charts/{web,api}/*.yaml\n')).toEqual(['k8s', 'charts/{web,api}/*.yaml']);
    expect(parseLines(undefined)).toEqual([]);
    expect(parsePaths('', 'input paths', true)).toEqual(['.']);
  });

  it.each([
    ['input fail-on', (n: string) => parseFailOn('fatal', n), 'fail-on'],
    ['input failOn', (n: string) => parseFailOn('fatal', n), 'failOn'],
    ['--fail-on', (n: string) => parseFailOn('fatal', n), '--fail-on'],
    ['input scan', (n: string) => parseOneOf('some', n, ['changed', 'all'], 'all'), 'scan'],
    ['input summary', (n: string) => parseBool('yes', n, true), 'summary'],
    ['input kubernetes-version', (n: string) => parseKubernetesVersion('1.3x', n), 'kubernetes-version'],
    ['input threads', (n: string) => parseThreads('99', n), 'threads'],
    ['input paths', (n: string) => parsePaths('k8s\n../up', n, true), 'paths'],
    ['input allowedImages', (n: string) => parseImagePatterns('docker.io/library/nginx:1.27', n), 'allowedImages'],
  ])('%s: the error names its input', (name, validate, input) => {
    const err = thrown(() => validate(name));
    expect(err?.input).toBe(input);
    expect(err?.message.startsWith(name)).toBe(true);
  });

  it('accepts booleans in any case and leaves absolute paths to the engine when asked', () => {
    expect([parseBool('TRUE', 'input x', false), parseBool(' False ', 'input x', true), parseBool('', 'input x', true)]).toEqual([
      true,
      false,
      true,
    ]);
    expect(parsePaths('/abs/k8s', 'input paths', false)).toEqual(['/abs/k8s']);
    expect(thrown(() => parsePaths('/abs/k8s', 'input paths', true))?.message).toBe(
      'input paths: "/abs/k8s" must be relative to the workspace, without ".."',
    );
  });
});
