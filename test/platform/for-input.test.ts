/** Engine errors name what was wrong on the error; each CI face renames that for its own inputs. */
import { forInput } from '../../src/platform/inputs.js';
import { ConfigurationError } from '../../src/types.js';

describe('forInput', () => {
  it('names the face input the engine error is about, without the CLI flag wording', () => {
    const paths = forInput(new ConfigurationError('path not found: k8s', { input: 'paths' }), { paths: 'paths' }) as ConfigurationError;
    expect([paths.message, paths.input]).toEqual(['input paths: path not found: k8s', 'paths']);
    const image = forInput(new ConfigurationError('--allow-image "x" is empty', { input: 'allowImages' }), {
      allowImages: 'allowed-images',
    }) as ConfigurationError;
    expect([image.message, image.input]).toEqual(['input allowed-images: "x" is empty', 'allowed-images']);
  });

  it('falls back for other configuration errors and leaves bugs alone', () => {
    const cfg = forInput(new ConfigurationError('.podguard.yml: rules.x is unknown'), { paths: 'paths' }, 'config') as ConfigurationError;
    expect(cfg.message).toBe('input config: .podguard.yml: rules.x is unknown');
    const plain = new ConfigurationError('no input named');
    expect(forInput(plain, { paths: 'paths' })).toBe(plain);
    const bug = new TypeError('boom');
    expect(forInput(bug, { paths: 'paths' }, 'config')).toBe(bug);
  });
});
