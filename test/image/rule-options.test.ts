/** Options of the image and Dockerfile user rules are validated with the configuration. */
import { settingsFromObject } from '../../src/config/load.js';
import { ALL_RULES } from '../../src/rules/index.js';

describe('rule options', () => {
  it('rejects a nonRootImages pattern outside the image pattern alphabet, naming the option', () => {
    expect(() =>
      settingsFromObject({ rules: { 'dockerfile-root-user': { nonRootImages: ['Bad[pattern'] } } }, ALL_RULES, '.podguard.yml'),
    ).toThrow(/nonRootImages/);
  });

  it('rejects a requireDigest that is not a boolean, and accepts true', () => {
    expect(() => settingsFromObject({ rules: { 'image-digest': { requireDigest: 'yes' } } }, ALL_RULES, '.podguard.yml')).toThrow(
      /requireDigest/,
    );
    const s = settingsFromObject({ rules: { 'image-digest': { requireDigest: true } } }, ALL_RULES, '.podguard.yml');
    expect(s.rules['image-digest']?.options.requireDigest).toBe(true);
  });
});
