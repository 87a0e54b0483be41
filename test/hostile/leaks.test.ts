/** The leak search helper itself: it must find every 6-character run and nothing else. */
import fc from 'fast-check';
import { describeLeaks, findLeaks } from '../helpers/leaks.js';

describe('findLeaks', () => {
  const secret = 'AKIAZ7QX3V2L9MNB4PTQ';

  it('finds a whole secret and any 6-character run of it, with positions', () => {
    const leaks = findLeaks([secret], { text: `key=${secret}`, json: `"v": "xxQX3V2L9Myy"` });
    expect(leaks.filter((l) => l.output === 'text')[0]).toEqual({ secret: 0, output: 'text', offset: 4, secretOffset: 0, length: 6 });
    expect(leaks.filter((l) => l.output === 'text')).toHaveLength(secret.length - 5);
    expect(leaks.filter((l) => l.output === 'json').map((l) => [l.offset, l.secretOffset])).toEqual([
      [8, 6],
      [9, 7],
      [10, 8],
    ]);
  });

  it('ignores runs of 5 characters, other cases and masked values', () => {
    expect(findLeaks([secret], ['QX3V2 and akiaz7qx3v2l and *** and AKIAZ*'])).toEqual([]);
  });

  it('searches secrets shorter than the run whole', () => {
    expect(findLeaks(['pw12'], ['user pw12'])).toMatchObject([{ secret: 0, offset: 5, length: 4 }]);
  });

  it('blanks ignored patterns (fingerprints) without shifting offsets', () => {
    const hex = '0123456789abcdef0123456789abcdef';
    const out = `"fingerprint": "${hex}" then 89abcd`;
    expect(findLeaks(['456789abcdef'], [out], { ignore: [/"fingerprint": "[0-9a-f]{32}"/] }).map((l) => l.offset)).toEqual([
      out.lastIndexOf('89abcd'),
    ]);
  });

  it('describes leaks without printing the secret', () => {
    const text = describeLeaks(findLeaks([secret], { sarif: secret })).join('\n');
    expect(text).toContain('secret #0');
    expect(text).not.toContain(secret.slice(0, 6));
  });

  it('property: a planted 6-run is always found, noise from other characters never is', () => {
    const secretArb = fc.string({ unit: fc.constantFrom(...'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'), minLength: 8, maxLength: 40 });
    const noiseArb = fc.string({ unit: fc.constantFrom(...'abcdefghijkmnopqrstuvwxyz .:"{}\n'), maxLength: 200 });
    fc.assert(
      fc.property(secretArb, noiseArb, noiseArb, fc.nat(), (s, before, after, at) => {
        const start = at % (s.length - 5);
        const leaks = findLeaks([s], [before + s.slice(start, start + 6) + after]);
        expect(leaks.some((l) => l.offset === before.length && l.secretOffset === s.indexOf(s.slice(start, start + 6)))).toBe(true);
        expect(findLeaks([s], [before + after])).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
