import { ownCopy } from '../../src/own-copy.js';

describe('ownCopy', () => {
  it('keeps every UTF-16 code unit: plain, non-ASCII, pairs and lone surrogates', () => {
    const file = 'image: nginx\nname: caf\u00e9 \u{1F600} \uD800 x \uDC00\n';
    for (const s of ['', 'a', file.slice(7, 12), file.slice(19, 30), '\uD800', '\uDC00x', 'x\uD83D', '\u{1F600}', file]) {
      const copy = ownCopy(s);
      expect(copy).toBe(s);
      expect(copy.length).toBe(s.length);
    }
  });
});
