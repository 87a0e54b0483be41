/**
 * The redaction module's contract, pinned for mutation testing (issue #21): which values count
 * as credentials, what the Redactor registers, which characters it masks (checked against a
 * plain search over the same values), how much work it does (counts, never time), how
 * maskValues orders and escapes, and what safeErrorText keeps of an error.
 */
import { Redactor, isCredentialLike, maskValues, safeErrorText } from '../../src/redact.js';

describe('isCredentialLike', () => {
  it.each([
    // 8 characters after trimming is the minimum.
    ['Qx7#kp9!', true],
    ['Qx7#kp9', false],
    ['   Qx7#kp9   ', false],
    ['   true   ', false],
    // Known words, in any case (mixed case gets past the plain-word test, not past this list).
    ['PassWord', false],
    ['UnDefined', false],
    ['ChangeMe', false],
    ['ChangeIt', false],
    ['PlaceHolder', false],
    ['ReDacted', false],
    ['RePlace_Me', false],
    ['RePlaceMe', false],
    ['YOUR-PassWord', false],
    ['YOUR_PassWord', false],
    ['PassWord1', true],
    // Numbers.
    ['12345678', false],
    ['-12345678', false],
    ['+1_000_000', false],
    ['1.234,567:8', false],
    ['a12345678', true],
    ['12345678a', true],
    ['x-12345678', true],
    ['--12345678', true],
    // Placeholders and references.
    ['<my-token1>', false],
    ['a<token123>', true],
    ['<token123>a', true],
    ['<<token123>', true],
    ['${API_TOKEN_1}', false],
    ['${API}TOKEN_1}', true],
    ['$(API_TOKEN_1)', false],
    ['$(API)TOKEN_1)', true],
    ['{{ .Values.token1 }}', false],
    ['{{ .Values\n.token1 }}', false],
    ['%API_TOKEN_1%', false],
    ['%API%TOKEN_1%', true],
    ['########', false],
    ['#######1', true],
    ['12#12#12#12', true],
    // Plain words, alone or joined by - _ . or blanks: settings.
    ['settings', false],
    ['Settings', false],
    ['SETTINGS', false],
    ['log-level-debug', false],
    ['Log_Level', false],
    ['read only mode', false],
    ['a.b.c.d.e', false],
    ['LOG.Level-debug', false],
    ['sEttings', true],
    ['settingS', true],
    ['SeTTINGS', true],
    ['Log-lEvel', true],
    ['log--level', true],
    ['-log-level', true],
    ['log-level-', true],
    ['settings1', true],
    ['1settings', true],
  ])('%j -> %s', (value, expected) => {
    expect(isCredentialLike(value)).toBe(expected);
  });
});

/** The same masking by plain search: the longest value ending at each position, merged where overlapping. */
function reference(values: readonly string[], text: string): string {
  const ranges: [number, number][] = [];
  for (let i = 0; i < text.length; i++) {
    let len = 0;
    for (const v of values) if (v.length > len && i + 1 - v.length >= 0 && text.startsWith(v, i + 1 - v.length)) len = v.length;
    if (len === 0) continue;
    const start = i + 1 - len;
    const last = ranges[ranges.length - 1];
    if (last && start < last[1]) {
      last[0] = Math.min(last[0], start);
      last[1] = i + 1;
    } else ranges.push([start, i + 1]);
  }
  let out = '';
  let at = 0;
  for (const [start, end] of ranges) {
    out += `${text.slice(at, start)}***`;
    at = end;
  }
  return out + text.slice(at);
}

/** A small deterministic generator (no Math.random: a failure must be reproducible). */
function generator(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x % n;
  };
}

describe('Redactor matching', () => {
  it('masks a value whose match restarts inside a partial match (failure links)', () => {
    expect(new Redactor(['aab#1234']).redact('aaab#1234')).toBe('a***');
    expect(new Redactor(['abab#123']).redact('ababab#123')).toBe('ab***');
    // Two failures in a row: "abaa" falls back to "a" through "a" (not to the root), so "abaab" falls back to "ab".
    expect(new Redactor(['abaab#12']).redact('abaabaab#12')).toBe('aba***');
  });

  it('masks a shorter value that ends inside a longer partial match', () => {
    const r = new Redactor(['Xv7Rt4Np8Kd3', 'Rt4Np8Kd']);
    expect(r.redact('Xv7Rt4Np8Kd!')).toBe('Xv7***!');
    expect(r.redact('Xv7Rt4Np8Kd3')).toBe('***');
  });

  it('masks values sharing a prefix, each on its own', () => {
    const r = new Redactor(['Zq9Lm2Xv7Rt4', 'Zq9Lm2Xv#abc', 'Zq9Lm2#x']);
    expect(r.redact('a Zq9Lm2Xv7Rt4 b Zq9Lm2Xv#abc c Zq9Lm2#x d Zq9Lm2Xv e')).toBe('a *** b *** c *** d Zq9Lm2Xv e');
  });

  it('masks overlapping occurrences once, from the first start to the last end', () => {
    expect(new Redactor(['abcd#123', 'd#123xyz']).redact('<abcd#123xyz>')).toBe('<***>');
    expect(new Redactor(['ab#1234567', 'b#123456']).redact('<ab#1234567>')).toBe('<***>');
    expect(new Redactor(['b#123456', 'ab#1234567']).redact('ab#123456 ab#1234567')).toBe('a*** ***');
    // Adjacent occurrences are masked one by one.
    expect(new Redactor(['Qx7#kp9!']).redact('Qx7#kp9!Qx7#kp9!')).toBe('******');
  });

  it('masks exactly what a plain search over the same values finds', () => {
    const next = generator(42);
    const alphabet = 'ab1';
    const word = (len: number): string => Array.from({ length: len }, () => alphabet[next(alphabet.length)]).join('');
    for (let round = 0; round < 300; round++) {
      const values = [...new Set(Array.from({ length: 1 + next(4) }, () => word(8 + next(4))))].filter(isCredentialLike);
      const r = new Redactor(values);
      for (let t = 0; t < 4; t++) {
        const text = word(next(40));
        expect([values, text, r.redact(text)]).toEqual([values, text, reference(values, text)]);
      }
    }
  });
});

describe('Redactor registration', () => {
  it('registers only credential-like values, each line of a key block once', () => {
    expect(new Redactor(['true', 'settings', '12345678', 'Qx7#kp9']).secrets).toEqual([]);
    expect(new Redactor(['Zq9Lm2Xv7Rt4\nZq9Lm2Xv7Rt4']).secrets).toEqual([
      'Zq9Lm2Xv7Rt4\nZq9Lm2Xv7Rt4',
      'Zq9Lm2Xv7Rt4\\nZq9Lm2Xv7Rt4',
      'Zq9Lm2Xv7Rt4',
    ]);
  });

  it('splits key blocks at \\r\\n as well as \\n', () => {
    const r = new Redactor(['Zq9Lm2Xv7Rt4\r\nQx7#kp9!']);
    expect(r.secrets).toEqual(['Zq9Lm2Xv7Rt4\r\nQx7#kp9!', 'Zq9Lm2Xv7Rt4\\r\\nQx7#kp9!', 'Zq9Lm2Xv7Rt4', 'Qx7#kp9!']);
    expect(r.redact('a Zq9Lm2Xv7Rt4 b Qx7#kp9! c')).toBe('a *** b *** c');
  });

  it('masks a value added after a redaction', () => {
    const r = new Redactor(['Zq9Lm2Xv7Rt4']);
    expect(r.redact('Zq9Lm2Xv7Rt4 Qx7#kp9!')).toBe('*** Qx7#kp9!');
    r.add('Qx7#kp9!');
    expect(r.redact('Zq9Lm2Xv7Rt4 Qx7#kp9!')).toBe('*** ***');
  });
});

describe('Redactor work', () => {
  it('builds nothing for no values or empty text, and once per set of values', () => {
    const empty = new Redactor();
    expect(empty.redact('Zq9Lm2Xv7Rt4')).toBe('Zq9Lm2Xv7Rt4');
    expect(empty.stats).toEqual({ builds: 0, statesBuilt: 0, steps: 0 });

    const r = new Redactor(['Zq9Lm2Xv']);
    expect(r.redact('')).toBe('');
    expect(r.stats).toEqual({ builds: 0, statesBuilt: 0, steps: 0 });
    expect(r.redact('Zq9Lm2Xv')).toBe('***');
    // The root and one state per character; one step per character.
    expect(r.stats).toEqual({ builds: 1, statesBuilt: 9, steps: 8 });
    expect(r.redact('x')).toBe('x');
    expect(r.stats).toEqual({ builds: 1, statesBuilt: 9, steps: 9 });
    r.add('Zq9Lm2Xv');
    expect(r.redact('x')).toBe('x');
    expect(r.stats).toEqual({ builds: 1, statesBuilt: 9, steps: 10 });
    r.add('Zq9Lm2#x');
    expect(r.redact('x')).toBe('x');
    // A shared prefix of 6 characters: 6 + 2 + 2 states and the root.
    expect(r.stats).toEqual({ builds: 2, statesBuilt: 9 + 11, steps: 11 });
  });

  it('counts failure moves as steps', () => {
    const r = new Redactor(['aab#1234']);
    // a a (fail to "a") a b # 1 2 3 4: 9 characters, 1 failure move.
    expect(r.redact('aaab#1234')).toBe('a***');
    expect(r.stats.steps).toBe(10);
  });
});

describe('maskValues', () => {
  it('masks the longest value first, whatever the order given', () => {
    expect(maskValues('[Zq9Lm2Xv7Rt4]', ['Zq9Lm2Xv', 'Zq9Lm2Xv7Rt4'])).toBe('[***]');
    expect(maskValues('[Zq9Lm2Xv7Rt4]', ['Zq9Lm2Xv7Rt4', 'Zq9Lm2Xv'])).toBe('[***]');
    expect(maskValues('[Zq9Lm2Xv7Rt4] [Zq9Lm2] [Zq9Lm2Xv]', ['Zq9Lm2', 'Zq9Lm2Xv', 'Zq9Lm2Xv7Rt4'])).toBe('[***] [***] [***]');
  });

  it('skips missing and empty values, masks short ones (a rule masks its own secret)', () => {
    expect(maskValues('a b', [undefined, ''])).toBe('a b');
    expect(maskValues('pw=ab1 x', ['ab1', undefined])).toBe('pw=*** x');
  });

  it('masks a value as written and JSON-escaped, and never masks the mask again', () => {
    expect(maskValues(JSON.stringify({ v: 'Pa"ss\\w0rd' }), ['Pa"ss\\w0rd'])).toBe('{"v":"***"}');
    expect(maskValues('a "Pa"ss" b', ['Pa"ss'])).toBe('a "***" b');
    expect(maskValues('a*b', ['*'])).toBe('a***b');
    expect(maskValues('a**b', ['**'])).toBe('a***b');
  });
});

describe('safeErrorText', () => {
  it.each([
    // Quoted fragments of every kind, also empty and holding escapes or the other quotes.
    ['a "" b', 'Error: a «…» b'],
    ["a '' b", 'Error: a «…» b'],
    ['a `` b', 'Error: a «…» b'],
    ['a "x" b "y" c', 'Error: a «…» b «…» c'],
    ["a 'x\\'y' b", 'Error: a «…» b'],
    ['a \'x "y" z\' b', 'Error: a «…» b'],
    ['a `x "y` b', 'Error: a «…» b'],
    ['a `x\ny` b', 'Error: a «…\ny«…'],
    ['a "x\ny" b', 'Error: a «…\ny«…'],
    ["a 'x\ny' b", 'Error: a «…\ny«…'],
    ['a "x\\\\" b', 'Error: a «…» b'],
    // Token-like runs: a digit or one of + / = _ ~ @ in 8 or more characters.
    ['at abcdefg1 end', 'Error: at … end'],
    ['at abcdefgh end', 'Error: at abcdefgh end'],
    ['at abcdef1 end', 'Error: at abcdef1 end'],
    ['at abc+defg end', 'Error: at … end'],
    ['at abc/defg end', 'Error: at … end'],
    ['at abc=defg end', 'Error: at … end'],
    ['at abc_defg end', 'Error: at … end'],
    ['at abc~defg end', 'Error: at … end'],
    ['at abc@defg end', 'Error: at … end'],
    ['at abc.defg:hij-klm end', 'Error: at abc.defg:hij-klm end'],
    ['at abc.de1g end', 'Error: at … end'],
    ['at abc:de1g end', 'Error: at … end'],
    ['at abc-de1g end', 'Error: at … end'],
    ['at Abcdefghijklmnopqrst end', 'Error: at … end'],
    ['at ABCDEFGHIJKLMNOPQRSt end', 'Error: at … end'],
    ['at Abcdefghijklmnopqrs end', 'Error: at Abcdefghijklmnopqrs end'],
    // A URL keeps its scheme out of the test, and is elided for what follows it.
    ['see https://example.com now', 'Error: see https://example.com now'],
    ['see HTTPS://example.com now', 'Error: see HTTPS://example.com now'],
    ['see https://example.com/a now', 'Error: see … now'],
    ['see https://ex1.com now', 'Error: see … now'],
    ['see x://example.com now', 'Error: see x://example.com now'],
    ['see abc-https:// now', 'Error: see … now'],
    ['see abc.https://x now', 'Error: see … now'],
    ['see abc//example.com now', 'Error: see … now'],
  ])('%j', (message, safe) => {
    expect(safeErrorText(new Error(message))).toBe(safe);
  });

  it('names the error kind, and reads a non-error as text', () => {
    expect(safeErrorText(new TypeError('bad'))).toBe('TypeError: bad');
    expect(safeErrorText({ toString: () => 'plain object' })).toBe('plain object');
    expect(safeErrorText(undefined)).toBe('undefined');
    expect(safeErrorText('quoted "Zq9Lm2Xv7Rt4"', 12)).toBe('quoted «…»');
  });

  it('elides quoted fragments of up to 2,000 characters whole', () => {
    const inner = 'w'.repeat(1900);
    expect(safeErrorText(`a "${inner}" b`)).toBe('a «…» b');
    expect(safeErrorText(`a '${inner}' b`)).toBe('a «…» b');
    expect(safeErrorText(`a \`${inner}\` b`)).toBe('a «…» b');
  });
});
