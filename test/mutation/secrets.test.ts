/**
 * The secret module's value heuristics, Secret-object reading and per-file token pass, pinned
 * for mutation testing (issue #21): what counts as a credential decides whether a finding gates.
 */
import { parseFile } from '../../src/parse/index.js';
import type { ParsedFile, YamlFile } from '../../src/parse/index.js';
import { describeSecret } from '../../src/redact.js';
import type { Report, RuleContext } from '../../src/rule.js';
import { sourceFile } from '../../src/parse/source.js';
import { decodeBase64, keyList, secretContents } from '../../src/secrets/secret-object.js';
import { fileTokens, ignoredTokenTypes, reportTokens, tokenMessages } from '../../src/secrets/file-tokens.js';
import {
  entropy,
  isDefaultPassword,
  isDocumentationPlaceholder,
  isLiteralSecret,
  isMask,
  isPasswordName,
  isPath,
  isPlaceholder,
  isReference,
  isScalarWord,
  looksRandom,
  nameParts,
  secretNameStrength,
  urlInfo,
} from '../../src/secrets/heuristics.js';
import { prng, randomString } from '../helpers/secrets.js';

const rand = prng(2107);
/** A random 40-character base62 value: looks random by every measure. */
const RANDOM = randomString(rand, 40);
const GH = `ghp_${randomString(rand, 36)}`;
/** A synthetic JWT shape (header.payload.signature, random base64url): a note-level token. */
const JWT = `eyJ${randomString(rand, 20)}.eyJ${randomString(rand, 30)}.${randomString(rand, 24)}`;
/** A URL with a synthetic password: a warning-level token. */
const URL_PW = `https://app:${randomString(rand, 16)}@db.internal/x`;
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

function yaml(text: string): YamlFile {
  const f = parseFile(sourceFile('/repo/s.yaml', 's.yaml', text), 'yaml');
  if (!f || f.kind !== 'kubernetes') throw new Error('not a manifest');
  return f;
}

const secret = (body: string): YamlFile => yaml(`apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n${body}`);

describe('heuristics', () => {
  it('measures entropy in bits per character', () => {
    expect(entropy('')).toBe(0);
    expect(entropy('aaaa')).toBe(0);
    expect(entropy('ab')).toBe(1);
    expect(entropy('abcd')).toBe(2);
    expect(entropy('aabb')).toBe(1);
    expect(entropy('aaab')).toBeCloseTo(0.8113, 4);
  });

  it.each([
    'changeme',
    'change_me',
    'change-me',
    'changeit',
    'example',
    'placeholder',
    'redacted',
    'dummy',
    'xxxx',
    'your_',
    'your-',
    'yourpassword',
    'yoursecret',
    'replace_me',
    'replace-me',
    'replaceme',
    'insert_',
    'notasecret',
    'not-a-secret',
    'secretvalue',
    '********',
    '••••',
  ])('takes a value holding %s for a placeholder', (w) => {
    expect(isPlaceholder(`Q7${w.toUpperCase()}z9`)).toBe(true);
    expect(isPlaceholder(`q7${w}z9`)).toBe(true);
  });

  it.each([
    'none',
    'null',
    'nil',
    'undefined',
    'empty',
    'n/a',
    'na',
    'tbd',
    'todo',
    'secret',
    'password',
    'token',
    'disabled',
    'postgres',
    'root',
    'admin',
    'guest',
    'test',
    'dev',
    'local',
    'localhost',
  ])('takes the word %s (any case, padded) for no value', (w) => {
    expect(isPlaceholder(` ${w.toUpperCase()} `)).toBe(true);
    expect(isPlaceholder(`${w}9z`)).toBe(false);
  });

  it('takes published example keys, brackets, %VAR%, one or two repeated characters for placeholders', () => {
    for (const v of [
      'AKIAIOSFODNN7EXAMPLE',
      'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      '',
      '   ',
      '<pass word>',
      '[your key]',
      '%DB_PASS%',
      'zzzzzzzzzz',
      'ababab',
      'xyxyxyxyxy',
      'z',
    ])
      expect([v, isPlaceholder(v)]).toEqual([v, true]);
    expect(isPlaceholder('Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==')).toBe(true);
    for (const v of [RANDOM, '<a<b>', 'x<a>', '[a]b', '%A B%', 'ababa', 'abcabc', 'aab', 'Zq9'])
      expect([v, isPlaceholder(v)]).toEqual([v, false]);
  });

  it('recognises references, never literal values', () => {
    const refs = [
      '${DB_PASSWORD}',
      'x${a}y',
      '$(cat /run/secret)',
      '$TOKEN',
      ' $_a1 ',
      '{{ .Values.pw }}',
      '#{Pass}#',
      '[ref]',
      '[a\nb]',
      '@Microsoft.KeyVault(SecretUri=x)',
      '@microsoft.keyvault(x',
      'arn:aws:secretsmanager:eu:1:secret:x',
      'arn:aws-cn:ssm:x',
      'ARN:AWS:KMS:x',
      'vault:secret/x',
      'ref+awsssm://x',
      'secretsmanager:x',
      'akv:x',
      'azurekeyvault:x',
      'keyvault:x',
      'gcpsm:x',
      'op://v/i',
      'sops:x',
      'projects/p/secrets/s',
    ];
    for (const v of refs) expect([v, isReference(v)]).toEqual([v, true]);
    const literals = [
      RANDOM,
      '$1abc',
      'a$TOKEN',
      'x[ref]',
      '{a}',
      'arn:aws:s3:x',
      'xvault:y',
      'ref+:x',
      'projects//secrets/',
      'myprojects/p/secrets/s',
      '${',
      '$(x',
    ];
    for (const v of literals) expect([v, isReference(v)]).toEqual([v, false]);
    expect(isReference(`\${${'a'.repeat(257)}}`)).toBe(false);
    expect(isReference(`$(${'a'.repeat(257)})`)).toBe(false);
    expect(isReference(`\${${'a'.repeat(256)}}`)).toBe(true);
  });

  it('recognises paths without spaces', () => {
    for (const v of ['/run/secrets/x', './key', '../key', '~/key', 'C:\\keys\\k', ' /a ']) expect([v, isPath(v)]).toEqual([v, true]);
    for (const v of ['/a b', 'key', '.key', '~key', 'C:/x', 'CC:\\x', '1:\\x']) expect([v, isPath(v)]).toEqual([v, false]);
  });

  it('reads URLs and whether they carry user:password@', () => {
    expect(urlInfo('https://user:pw@host/x')).toEqual({ url: true, withCredentials: true });
    expect(urlInfo(' postgres+ssl://u:p@h ')).toEqual({ url: true, withCredentials: true });
    expect(urlInfo('https://user@host/x')).toEqual({ url: true, withCredentials: false });
    expect(urlInfo('https://host/a:b@c')).toEqual({ url: true, withCredentials: false });
    expect(urlInfo('https://:pw@host')).toEqual({ url: true, withCredentials: true });
    expect(urlInfo('https://@host')).toEqual({ url: true, withCredentials: false });
    expect(urlInfo('https://a@b:c@host')).toEqual({ url: true, withCredentials: true });
    expect(urlInfo('https://host?a:b@c')).toEqual({ url: true, withCredentials: false });
    expect(urlInfo('https://host#a:b@c')).toEqual({ url: true, withCredentials: false });
    expect(urlInfo('https://h ost:a@b')).toEqual({ url: true, withCredentials: false });
    expect(urlInfo('x://u:p@h')).toEqual({ url: false, withCredentials: false });
    expect(urlInfo(`${'a'.repeat(22)}://u:p@h`)).toEqual({ url: false, withCredentials: false });
    expect(urlInfo(`${'a'.repeat(21)}://u:p@h`)).toEqual({ url: true, withCredentials: true });
    expect(urlInfo('1a://u:p@h')).toEqual({ url: false, withCredentials: false });
    expect(urlInfo('see https://u:p@h')).toEqual({ url: false, withCredentials: false });
  });

  it('recognises booleans and numbers in YAML 1.1 spellings', () => {
    for (const v of [
      'true',
      'FALSE',
      'yes',
      'No',
      'on',
      'off',
      'y',
      'n',
      'enable',
      'enabled',
      'disable',
      'disabled',
      '1',
      '-1',
      '+2.5',
      '3.',
      '.5',
      '1e5',
      '1E-5',
      '2.5e+3',
      '0x1F',
      ' 7 ',
    ])
      expect([v, isScalarWord(v)]).toEqual([v, true]);
    for (const v of ['truex', 'xtrue', 'yess', '1.2.3', '.', 'e5', '1e', '0x', '0xg', '--1', 'enabledd', 'x0x1'])
      expect([v, isScalarWord(v)]).toEqual([v, false]);
  });

  it('anchors each placeholder, reference and number pattern at both ends', () => {
    // A stand-in shape followed or preceded by a real-looking value is not a placeholder.
    for (const v of ['<k>Zq93hQpLmT', 'Zq93hQpLmT<k>', '[k]Zq93hQpLmT', 'Zq93hQpLmT[k]', '%K%Zq93hQpLmT', 'Zq93hQpLmT%K%'])
      expect([v, isPlaceholder(v)]).toEqual([v, false]);
    for (const v of ['<k>', '[k]', '%K%']) expect([v, isPlaceholder(v)]).toEqual([v, true]);
    // A reference shape with a literal before or after it holds the literal.
    for (const v of ['$abc-Zq93hQ', '[ref]Zq93hQ', 'x@Microsoft.KeyVault(SecretUri=y)', 'xarn:aws:secretsmanager:y'])
      expect([v, isReference(v)]).toEqual([v, false]);
    expect(isReference('projects/ab/secrets/s')).toBe(true);
    // Several digits after the point or in the exponent are still a number; hex ends at its digits.
    for (const v of ['.55', '1e10', '2.5e-12']) expect([v, isScalarWord(v)]).toEqual([v, true]);
    for (const v of ['0x1fzz', '0x1f 2']) expect([v, isScalarWord(v)]).toEqual([v, false]);
  });

  it('splits names into lowercase parts', () => {
    expect(nameParts('DB_PASSWORD')).toEqual(['db', 'password']);
    expect(nameParts('dbPassword')).toEqual(['db', 'password']);
    expect(nameParts('db-password.v2')).toEqual(['db', 'password', 'v2']);
    expect(nameParts('HTTPServerKey')).toEqual(['http', 'server', 'key']);
    expect(nameParts('api2Key')).toEqual(['api2', 'key']);
    expect(nameParts('__x__')).toEqual(['x']);
    expect(Object.isFrozen(nameParts('DB_PASSWORD'))).toBe(true);
    expect(nameParts('DB_PASSWORD')).toBe(nameParts('DB_PASSWORD'));
    // The cache is bounded: it starts over when full, and answers stay right.
    for (let i = 0; i < 5000; i++) nameParts(`N${i}_TOKEN`);
    expect(nameParts('N1_TOKEN')).toEqual(['n1', 'token']);
  });

  it.each(['password', 'passwd', 'pwd', 'passphrase', 'secret', 'secrets', 'token', 'apikey', 'credential', 'credentials', 'pat'])(
    'takes %s for a strong secret name part',
    (p) => {
      expect(secretNameStrength(`DB_${p.toUpperCase()}`)).toBe('strong');
      expect(secretNameStrength(`${p}x_y`)).toBeUndefined();
    },
  );

  it.each(['key', 'auth', 'pass', 'privatekey', 'accesskey', 'secretkey'])('takes %s for a weak one', (p) => {
    expect(secretNameStrength(`db_${p}`)).toBe('weak');
  });

  it('takes API_KEY for strong, and descriptive last parts, public and existing for no secret', () => {
    expect(secretNameStrength('API_KEY')).toBe('strong');
    expect(secretNameStrength('apiKey')).toBe('strong');
    expect(secretNameStrength('API_X_KEY')).toBe('weak');
    expect(secretNameStrength('KEY_API')).toBe('weak');
    expect(secretNameStrength('KEY_VAULT_NAME')).toBeUndefined();
    expect(secretNameStrength('KEY_VAULT')).toBeUndefined();
    expect(secretNameStrength('MY_KEY_VAULT_X')).toBeUndefined();
    expect(secretNameStrength('VAULT_KEY')).toBe('weak');
    expect(secretNameStrength('PUBLIC_KEY')).toBeUndefined();
    expect(secretNameStrength('EXISTING_SECRET')).toBeUndefined();
    expect(secretNameStrength('SECRET_PUBLICATION')).toBe('strong');
    expect(secretNameStrength('')).toBeUndefined();
    expect(secretNameStrength('__')).toBeUndefined();
    expect(secretNameStrength('DB_HOST')).toBeUndefined();
    expect(secretNameStrength('TOKEN_X')).toBe('strong');
  });

  it.each([
    'name',
    'names',
    'path',
    'paths',
    'file',
    'files',
    'dir',
    'id',
    'ids',
    'url',
    'uri',
    'endpoint',
    'host',
    'port',
    'type',
    'mode',
    'method',
    'enabled',
    'disabled',
    'required',
    'ttl',
    'timeout',
    'expiry',
    'expiration',
    'lifetime',
    'length',
    'size',
    'header',
    'prefix',
    'format',
    'algorithm',
    'alg',
    'version',
    'ref',
    'location',
    'vault',
    'store',
    'provider',
    'issuer',
    'audience',
    'user',
    'username',
    'field',
    'policy',
    'scope',
    'scopes',
    'count',
    'source',
    'kind',
    'label',
    'env',
    'var',
    'pattern',
    'patterns',
    'regex',
    'regexp',
    'rule',
    'rules',
    'complexity',
    'strength',
    'min',
    'max',
    'minlength',
    'maxlength',
    'history',
    'attempts',
    'retries',
    'hint',
    'reset',
    'rotation',
    'interval',
    'age',
    'validation',
    'validator',
    'encoder',
  ])('takes PASSWORD_%s for a name that describes a secret', (suffix) => {
    expect(secretNameStrength(`PASSWORD_${suffix.toUpperCase()}`)).toBeUndefined();
    expect(secretNameStrength(`PASSWORD_${suffix.toUpperCase()}_X`)).toBe('strong');
  });

  it('looks for length, no spaces and entropy', () => {
    expect(looksRandom(RANDOM)).toBe(true);
    expect(looksRandom('abcdefghijk')).toBe(false);
    expect(looksRandom('abcdefghijkl')).toBe(true);
    expect(looksRandom('abcdefgh ijkl')).toBe(false);
    expect(looksRandom('abcdabcdabcd')).toBe(false);
    expect(looksRandom('abcdefgh', 8, 3)).toBe(true);
    expect(looksRandom('abcdefgh', 8, 3.01)).toBe(false);
  });

  it.each([
    'postgres',
    'mysql',
    'root',
    'admin',
    'administrator',
    'guest',
    'test',
    'dev',
    'password',
    'passw0rd',
    'p@ssw0rd',
    'p@ssword',
    'secret',
    'example',
    'letmein',
    'welcome',
    'qwerty',
    'default',
    'oracle',
    'sa',
    'user',
    'pass',
    'rabbitmq',
    'redis',
    'mongo',
    'elastic',
    'minio',
    'minioadmin',
    'keycloak',
    'sonar',
    'grafana',
  ])('takes %s for a default password', (w) => {
    expect(isDefaultPassword(` ${w.toUpperCase()} `)).toBe(true);
    expect(isDefaultPassword(`${w}x`)).toBe(false);
  });

  it('takes a default word with a separator, up to six digits and a ! for a default password', () => {
    for (const v of ['admin123', 'Admin_123!', 'postgres-1', 'root.999999', 'guest@1', 'test#1', 'admin!', 'sa1'])
      expect([v, isDefaultPassword(v)]).toEqual([v, true]);
    for (const v of ['admin1234567', 'admin__1', 'admin1!!', 'xadmin1', 'admin1x', 'abc123', 'a1', 'administrator1x'])
      expect([v, isDefaultPassword(v)]).toEqual([v, false]);
  });

  it('names passwords only by password words', () => {
    for (const n of ['DB_PASSWORD', 'passwd', 'ADMIN_PWD', 'db_pass', 'passphrase']) expect([n, isPasswordName(n)]).toEqual([n, true]);
    for (const n of ['API_TOKEN', 'PASSWORD_FILE', 'passport', 'db_key']) expect([n, isPasswordName(n)]).toEqual([n, false]);
  });

  it('recognises masks', () => {
    for (const v of ['****', '•••', 'xXx', '###', '...', 'qqqq', ' * ']) expect([v, isMask(v)]).toEqual([v, true]);
    for (const v of ['', '  ', '*a*', 'x-x', 'ab']) expect([v, isMask(v)]).toEqual([v, false]);
  });

  it('takes documentation placeholders and key-echoing values, but not default passwords', () => {
    expect(isDocumentationPlaceholder('')).toBe(true);
    expect(isDocumentationPlaceholder('****')).toBe(true);
    expect(isDocumentationPlaceholder('AKIAIOSFODNN7EXAMPLE')).toBe(true);
    expect(isDocumentationPlaceholder('db-password', 'DB_PASSWORD')).toBe(true);
    expect(isDocumentationPlaceholder('dbPassword', 'db.password')).toBe(true);
    expect(isDocumentationPlaceholder('adminPassword', 'ADMINPASSWORD')).toBe(true);
    // A value and a key without name parts are not the same name.
    expect(isDocumentationPlaceholder('-_-', '--')).toBe(false);
    expect(isDocumentationPlaceholder('db-password', 'API_TOKEN')).toBe(false);
    expect(isDocumentationPlaceholder('postgres')).toBe(false);
    expect(isDocumentationPlaceholder('admin123')).toBe(false);
    expect(isDocumentationPlaceholder('changeme')).toBe(true);
    expect(isDocumentationPlaceholder('<token>')).toBe(true);
    expect(isDocumentationPlaceholder(RANDOM)).toBe(false);
  });

  it('decides whether a literal of a secret-named variable is a credential', () => {
    expect(isLiteralSecret(RANDOM, 'strong')).toBe(true);
    expect(isLiteralSecret('hunter2x', 'strong')).toBe(true);
    expect(isLiteralSecret('hunter2x', 'weak')).toBe(false);
    expect(isLiteralSecret(RANDOM, 'weak')).toBe(true);
    expect(isLiteralSecret('abcdefghijklmno', 'weak')).toBe(false);
    expect(isLiteralSecret('abcdefghijklmnop', 'weak')).toBe(true);
    expect(isLiteralSecret('abcdabcdabcdabcd', 'weak')).toBe(false);
    for (const v of ['', '  ', '${X}', 'abc', '/run/x', 'true', '12345', 'changeme', 'https://host/x', 'postgres'])
      expect([v, isLiteralSecret(v, 'strong')]).toEqual([v, false]);
    expect(isLiteralSecret('abcd', 'strong')).toBe(true);
    expect(isLiteralSecret('https://u:pw@host/x', 'strong')).toBe(true);
    expect(isLiteralSecret(' hunter2x ', 'strong')).toBe(true);
    // A default password is a credential in a password-named variable, not elsewhere.
    expect(isLiteralSecret('postgres', 'strong', 'DB_PASSWORD')).toBe(true);
    expect(isLiteralSecret('sa', 'strong', 'DB_PASSWORD')).toBe(true);
    expect(isLiteralSecret('postgres', 'strong', 'API_TOKEN')).toBe(false);
    expect(isLiteralSecret('password', 'strong', 'PASSWORD')).toBe(false);
    expect(isLiteralSecret('${PW}', 'strong', 'DB_PASSWORD')).toBe(false);
  });

  it('keeps URLs with a port but no user:password@ out of the credentials', () => {
    expect(urlInfo('https://host:8443/x')).toEqual({ url: true, withCredentials: false });
    expect(urlInfo('postgres://db:5432')).toEqual({ url: true, withCredentials: false });
    expect(urlInfo('https://user@host:8443/x')).toEqual({ url: true, withCredentials: false });
  });

  it('takes mixed mask characters for a mask and a documentation placeholder', () => {
    for (const v of ['**..', 'x*x*', '#.#.#', '•*•*']) expect([v, isMask(v), isDocumentationPlaceholder(v)]).toEqual([v, true, true]);
    // Two distinct characters under six: not a placeholder by isPlaceholder, only by the mask test.
    expect(isPlaceholder('**..')).toBe(false);
  });

  it('takes the longest default word with digits, and a digit 0 after a default word', () => {
    expect(isDefaultPassword('administrator1')).toBe(true);
    expect(isDefaultPassword('administrator_123456!')).toBe(true);
    expect(isDefaultPassword('admin0')).toBe(true);
    expect(isDefaultPassword('Admin2024')).toBe(true);
    // The default word starts the value: nothing before it.
    for (const v of ['9admin', '$admin1', '-root']) expect([v, isDefaultPassword(v)]).toEqual([v, false]);
  });

  it('does not take a short or non-default value of a password-named variable for a default password', () => {
    expect(isLiteralSecret('abc', 'strong', 'DB_PASSWORD')).toBe(false);
    expect(isLiteralSecret('true', 'strong', 'DB_PASSWORD')).toBe(false);
    expect(isLiteralSecret('/run/pw', 'strong', 'DB_PASSWORD')).toBe(false);
    expect(isLiteralSecret('changeme', 'strong', 'DB_PASSWORD')).toBe(false);
    expect(isLiteralSecret('admin123', 'weak', 'DB_PASS')).toBe(true);
    expect(isLiteralSecret('admin123', 'weak', 'DB_KEY')).toBe(false);
    // Padding is not part of the value: neither its length nor its shape.
    expect(isLiteralSecret('  abc ', 'strong')).toBe(false);
    expect(isLiteralSecret(` ${RANDOM} `, 'weak')).toBe(true);
  });
});

describe('Secret objects', () => {
  it('decodes strict base64 only', () => {
    expect(decodeBase64(b64('hello!'))).toBe('hello!');
    expect(decodeBase64(' aGVs\n bG8= ')).toBe('hello');
    expect(decodeBase64('')).toBe('');
    for (const bad of ['aGVsbG8', 'aGVsbG8==x', 'aGV*bG8=', 'aG===', 'a-b_', '=aGV'])
      expect([bad, decodeBase64(bad)]).toEqual([bad, undefined]);
  });

  it('lists at most five key names', () => {
    expect(keyList(['a', 'b', 'c', 'd', 'e'])).toBe('a, b, c, d, e');
    expect(keyList(['a', 'b', 'c', 'd', 'e', 'f', 'g'])).toBe('a, b, c, d, e and 2 more');
    expect(keyList([])).toBe('');
  });

  it('reads literal data (decoded) and stringData, pointing at the first field that holds one', () => {
    const f = secret(
      `data:\n  empty: ""\n  host: ${b64('db.internal')}\n  password: ${b64('s3cr3t-Pa55!')}\n  notb64: plain!\nstringData:\n  token: ${RANDOM}\n  ref: \${TOKEN}\n  sops: ENC[AES256_GCM,data:x]\n  doc: <your-token>\n  same: same\n`,
    );
    const c = secretContents(f.objects[0]!)!;
    expect(c.entries.map((e) => [e.field, e.key, e.decoded, e.credential])).toEqual([
      ['data', 'host', 'db.internal', false],
      ['data', 'password', 's3cr3t-Pa55!', true],
      ['data', 'notb64', 'plain!', false],
      ['stringData', 'token', RANDOM, true],
    ]);
    expect(c.entries[0]!.raw).toBe(b64('db.internal'));
    expect(f.source.text.slice(c.at.start, c.at.end)).toBe('data');
    expect(c.token).toBeUndefined();
    expect(c.registries).toEqual([]);
  });

  it('points at stringData when data holds nothing, and gives nothing for an empty Secret', () => {
    const c = secretContents(secret(`data:\n  a: ""\nstringData:\n  b: hello there\n`).objects[0]!)!;
    expect(c.entries.map((e) => e.key)).toEqual(['b']);
    const f = secret(`data:\n  a: ""\nstringData:\n  b: hello there\n`);
    expect(f.source.text.slice(c.at.start, c.at.end)).toBe('stringData');
    expect(secretContents(secret('data:\n  a: ""\n  b: "  "\n').objects[0]!)).toBeUndefined();
    expect(secretContents(secret('type: Opaque\n').objects[0]!)).toBeUndefined();
    expect(secretContents(secret('data: [a]\n').objects[0]!)).toBeUndefined();
  });

  it.each(['tls.key', 'ssh-privatekey', 'token', 'password', 'Password', 'api-key'])('takes the key %s for a credential', (key) => {
    const c = secretContents(secret(`stringData:\n  ${key}: plain words\n`).objects[0]!)!;
    expect(c.entries[0]!.credential).toBe(true);
  });

  it('takes a value for a credential by its token format or its shape', () => {
    const c = secretContents(
      secret(
        `stringData:\n  a: ${GH}\n  b: https://u:pw1@host/x\n  c: https://host/x\n  d: /run/x/${RANDOM}\n  e: "12345678901234567890123"\n  f: ${RANDOM}\n  g: ${RANDOM.slice(0, 19)}\n  h: ${GH}\n`,
      ).objects[0]!,
    )!;
    expect(c.entries.map((e) => [e.key, e.credential])).toEqual([
      ['a', true],
      ['b', true],
      ['c', false],
      ['d', false],
      ['e', false],
      ['f', true],
      ['g', false],
      ['h', true],
    ]);
    expect(c.token?.messageId).toBe('githubToken');
    expect(c.token?.value).toBe(GH);
    expect(c.token?.start).toBe(0);
  });

  it('reads registry credentials of a .dockerconfigjson, leaving placeholders and references out', () => {
    const cfg = {
      auths: {
        'r1.io': { auth: b64(`user:${RANDOM}`) },
        'r2.io': { password: 'hunter2hunter2' },
        'r3.io': { identitytoken: 'idtok-123456' },
        'r4.io': { auth: b64('user:<password>') },
        'r5.io': { password: '$REG_PASS' },
        'r6.io': { auth: b64('user:') },
        'r7.io': 'x',
        'r8.io': null,
        'r9.io': { auth: b64(`nocolon${RANDOM}`) },
        'r10.io': { auth: b64('user:vault:secret/reg') },
        'r11.io': { password: '****' },
        'r12.io': { auth: 'not base64!', password: 'pw-ignored' },
      },
    };
    const c = secretContents(
      secret(`type: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: ${b64(JSON.stringify(cfg))}\n`).objects[0]!,
    )!;
    expect(c.registries).toEqual([
      { registry: 'r1.io', secrets: [cfg.auths['r1.io'].auth, RANDOM, `user:${RANDOM}`] },
      { registry: 'r2.io', secrets: ['hunter2hunter2'] },
      { registry: 'r3.io', secrets: ['idtok-123456'] },
      { registry: 'r9.io', secrets: [cfg.auths['r9.io'].auth, `nocolon${RANDOM}`, `nocolon${RANDOM}`] },
    ]);
    expect(c.entries.map((e) => [e.key, e.credential])).toEqual([['.dockerconfigjson', true]]);
  });

  it('judges a value by its shape after trimming, and a URL by its credentials alone', () => {
    // A long URL without credentials is configuration however random its path looks.
    const longUrl = `https://config.shop.internal/v1/${RANDOM}`;
    const c = secretContents(secret(`stringData:\n  a: " /run/x/${RANDOM} "\n  b: ${longUrl}\n  c: " ${RANDOM} "\n`).objects[0]!)!;
    expect(c.entries.map((e) => [e.key, e.credential])).toEqual([
      ['a', false],
      ['b', false],
      ['c', true],
    ]);
  });

  it('takes a value holding a known token format for a credential, whatever its key and shape', () => {
    // A private key block: header, body lines and spaces, so no random-looking single word.
    const body = Array.from({ length: 4 }, () => randomString(rand, 64)).join('\n    ');
    const pem = `-----BEGIN PRIVATE KEY-----\n    ${body}\n    -----END PRIVATE KEY-----`;
    const c = secretContents(secret(`stringData:\n  cert-data: |\n    ${pem}\n`).objects[0]!)!;
    expect(c.token?.messageId).toBe('privateKey');
    expect(c.entries.map((e) => [e.key, e.credential])).toEqual([['cert-data', true]]);
  });

  it('commits nothing with a registry entry of placeholders only, and reads a non-JSON one as a credential', () => {
    const placeholders = b64(JSON.stringify({ auths: { 'r.io': { auth: b64('user:<password>') } } }));
    expect(secretContents(secret(`data:\n  .dockerconfigjson: ${placeholders}\n`).objects[0]!)).toBeUndefined();
    expect(secretContents(secret(`stringData:\n  .dockercfg: '{"auths": 1}'\n`).objects[0]!)).toBeUndefined();
    expect(secretContents(secret(`stringData:\n  .dockercfg: '{"auths": null}'\n`).objects[0]!)).toBeUndefined();
    expect(secretContents(secret(`stringData:\n  .dockercfg: '{"broken'\n`).objects[0]!)).toBeUndefined();
    // JSON after blanks is still a registry document without a usable password.
    expect(secretContents(secret(`stringData:\n  .dockercfg: ' {"auths": {}}'\n`).objects[0]!)).toBeUndefined();
    const text = secretContents(secret(`stringData:\n  .DockerCfg: not json at all\n`).objects[0]!)!;
    expect(text.entries.map((e) => [e.key, e.credential])).toEqual([['.DockerCfg', true]]);
    expect(text.registries).toEqual([]);
  });
});

describe('file tokens', () => {
  it('gives each level its own message templates', () => {
    expect(Object.keys(tokenMessages('note'))).toEqual(['jwt']);
    expect(tokenMessages('error')).toHaveProperty('githubToken', 'GitHub token in plaintext ({desc}).');
    expect(tokenMessages('error')).not.toHaveProperty('jwt');
    expect(Object.keys(tokenMessages('warning')).sort()).toEqual(['connectionStringPassword', 'urlCredentials']);
  });

  it('finds each token once, at its file offset, leaving Secret data to the Secret rule', () => {
    const text = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  annotations:\n    note: "${GH}"\nstringData:\n  b: ${GH}\ndata:\n  c: eA==\nimmutable: false # ${GH}\n`;
    const f = yaml(text);
    const tokens = fileTokens(f);
    const first = text.indexOf(GH);
    const last = text.lastIndexOf(GH);
    expect(tokens.map((t) => [t.m.messageId, t.start, t.end])).toEqual([
      ['githubToken', first, first + GH.length],
      ['githubToken', last, last + GH.length],
    ]);
    expect(fileTokens(f)).toBe(tokens);
    // Outside a Secret, data is scanned like any text.
    const config = yaml(text.replace('kind: Secret', 'kind: ConfigMap'));
    expect(fileTokens(config)).toHaveLength(3);
  });

  it('scans a document of a multi-document file from its --- to the next one', () => {
    const doc = (name: string, extra: string): string =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "${extra}"\n`;
    const text = `${doc('one', GH)}---\n${doc('two', 'x')}---\n# ${GH}\n${doc('three', 'y')}`;
    const source = sourceFile('/repo/m.yaml', 'm.yaml', text);
    const whole = parseFile(source, 'yaml') as YamlFile;
    // The engine hands each document as its own view: docs[0] is that document.
    const views = whole.docs.map(
      (d) => ({ ...whole, docs: [d], objects: whole.objects.filter((o) => o.docIndex === d.index) }) as YamlFile,
    );
    const starts = views.map((v) => fileTokens(v).map((t) => t.start));
    expect(starts).toEqual([[text.indexOf(GH)], [], [text.lastIndexOf(GH)]]);
    // A document ends at a line starting with ---, not at --- inside a trailing comment.
    const tail = `${doc('one', 'x')}# a---b ${GH}\n---\n${doc('two', 'y')}`;
    const parsed = parseFile(sourceFile('/repo/t.yaml', 't.yaml', tail), 'yaml') as YamlFile;
    const one = { ...parsed, docs: [parsed.docs[0]!], objects: parsed.objects.filter((o) => o.docIndex === 0) } as YamlFile;
    expect(fileTokens(one).map((t) => t.start)).toEqual([tail.indexOf(GH)]);
    // The first document starts at the top of the file, comments before its --- included.
    const lead = `# ${GH}\n---\n${doc('one', 'x')}`;
    expect(fileTokens(yaml(lead)).map((t) => t.start)).toEqual([lead.indexOf(GH)]);
  });

  it('scans a Dockerfile whole, and a manifest whose only document does not parse', () => {
    const docker = `FROM alpine:3.20\nENV API=${GH}\n`;
    const d = parseFile(sourceFile('/repo/Dockerfile', 'Dockerfile', docker), 'dockerfile')!;
    expect(fileTokens(d).map((t) => [t.m.messageId, t.start, t.end])).toEqual([
      ['githubToken', docker.indexOf(GH), docker.indexOf(GH) + GH.length],
    ]);
    const head = 'apiVersion: v1\nkind: ConfigMap\n';
    for (const text of [`${head}data: [\n  b: ${GH}\n`, `---\n${head}data: [\n  b: ${GH}\n`]) {
      const broken = yaml(text);
      expect(fileTokens(broken).map((t) => t.start)).toEqual([text.indexOf(GH)]);
    }
  });

  it('leaves a broken document of a multi-document file unscanned', () => {
    const head = 'apiVersion: v1\nkind: ConfigMap\n';
    // The first document broken, a later one fine: the broken one cannot be located.
    const first = yaml(`${head}data: [\n  b: ${GH}\n---\n${head}`);
    expect(first.docs.map((d) => [d.index, Boolean(d.root)])).toEqual([
      [0, false],
      [1, true],
    ]);
    expect(fileTokens(first)).toEqual([]);
    // Its separator right at offset 4 (a three-character first line) is still a later document's.
    const short = yaml(`{ab\n---\n${head}data:\n  a: ${GH}\n`);
    expect(Boolean(short.docs[0]!.root)).toBe(false);
    expect(fileTokens(short)).toEqual([]);
    // A broken first document whose --- line comes within the first four characters is the
    // whole file's only locatable text: scanned.
    const tiny = `{\n---\n${head}data:\n  a: ${GH}\n`;
    const tinyFile = yaml(tiny);
    expect(Boolean(tinyFile.docs[0]!.root)).toBe(false);
    expect(fileTokens(tinyFile).map((t) => t.start)).toEqual([tiny.indexOf(GH)]);
    // A later document broken, handed as its own view.
    const text = `${head}---\n${head}data: [\n  b: ${GH}\n`;
    const whole = yaml(text);
    const brokenView = { ...whole, docs: [whole.docs[1]!], objects: [] } as YamlFile;
    expect(brokenView.docs[0]!.root).toBeFalsy();
    expect(fileTokens(brokenView)).toEqual([]);
    // ... even when no --- line follows the first few characters (a one-line first document).
    const oneLine = yaml(`x\n---\n${head}data: [\n  b: ${GH}\n`);
    expect(oneLine.docs.map((d) => [d.index, Boolean(d.root)])).toEqual([
      [0, true],
      [1, false],
    ]);
    expect(fileTokens({ ...oneLine, docs: [oneLine.docs[1]!], objects: [] } as YamlFile)).toEqual([]);
  });

  it('leaves tokens in Secret data and as Secret keys to the Secret rule, up to the map end', () => {
    const head = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n';
    for (const body of [`data:\n  c: ${GH}\n`, `stringData:\n  ${GH}: x\n`, `stringData:\n  b: ${GH}`, `data:\n  c: ${GH}`])
      expect([body, fileTokens(yaml(head + body))]).toEqual([body, []]);
  });

  it('reports the tokens of one level with their place, description and properties, skipping ignored types', () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: ${GH}\n  b: ${URL_PW}\n  c: ${JWT}\n`;
    const f: ParsedFile = yaml(text);
    const reports: Report[] = [];
    const ctx = { report: (r: Report) => reports.push(r) } as unknown as RuleContext;
    const at = (v: string): unknown => f.source.lines.range(text.indexOf(v), text.indexOf(v) + v.length);
    reportTokens(f, ctx, 'error', new Set());
    expect(reports).toEqual([
      {
        messageId: 'githubToken',
        data: { desc: describeSecret(GH), label: 'GitHub token' },
        at: at(GH),
        identity: 'githubToken',
        secret: GH,
        properties: { precision: 'high', tokenType: 'GitHub token', checksumVerified: false },
      },
    ]);
    reports.length = 0;
    const pw = URL_PW.slice(URL_PW.indexOf(':', 6) + 1, URL_PW.indexOf('@'));
    reportTokens(f, ctx, 'warning', new Set(['githubToken']));
    expect(reports.map((r) => [r.messageId, r.secret, r.at])).toEqual([['urlCredentials', pw, at(pw)]]);
    reports.length = 0;
    reportTokens(f, ctx, 'note', new Set());
    expect(reports.map((r) => [r.messageId, r.secret, r.properties])).toEqual([
      ['jwt', JWT, { precision: 'medium', tokenType: 'JSON Web Token', checksumVerified: false }],
    ]);
    reports.length = 0;
    reportTokens(f, ctx, 'note', new Set(['jwt']));
    reportTokens(f, ctx, 'error', new Set(['githubToken']));
    expect(reports).toEqual([]);
  });

  it('reads rules.secret-token.ignoreTypes, keeping the strings only', () => {
    const ctx = (rules: Record<string, unknown>): RuleContext => ({ settings: { rules } }) as unknown as RuleContext;
    expect(ignoredTokenTypes(ctx({ 'secret-token': { options: { ignoreTypes: ['jwt', 3, null, 'githubToken'] } } }))).toEqual(
      new Set(['jwt', 'githubToken']),
    );
    expect(ignoredTokenTypes(ctx({ 'secret-token': { options: { ignoreTypes: 'jwt' } } }))).toEqual(new Set());
    expect(ignoredTokenTypes(ctx({ 'secret-token': { options: {} } }))).toEqual(new Set());
    expect(ignoredTokenTypes(ctx({ 'secret-jwt': { options: { ignoreTypes: ['jwt'] } } }))).toEqual(new Set());
  });
});
