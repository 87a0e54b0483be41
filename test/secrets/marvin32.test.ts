/** Marvin32 against the published test vectors, and identifiable keys built and verified with it. */
import { marvin32, marvin64, seedFromName } from '../../src/secrets/marvin32.js';
import { verifyAzureKey } from '../../src/secrets/detectors.js';
import { azureKeys, identifiableKey, prng } from '../helpers/secrets.js';
import { referenceMarvin32, referenceMarvin64, referenceSeed } from '../helpers/marvin-reference.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));

// From the Marvin reference test data (SymCrypt / .NET MarvinTests): 64-bit output, hi << 32 | lo.
const SEED1 = 0x004fb61a001bdbccn;
const SEED2 = 0x804fb61a001bdbccn;
const VECTORS: [bigint, string, bigint][] = [
  [SEED1, '', 0x30ed35c100cd3c7dn],
  [SEED1, 'af', 0x48e73fc77d75ddc1n],
  [SEED1, 'e70f', 0xb5f6e1fc485dbff8n],
  [SEED1, '37f495', 0xf0b07c789b8cf7e8n],
  [SEED1, '8642dc59', 0x7008f2e87e9cf556n],
  [SEED1, '153fb79826', 0xe6c08c6da2afa997n],
  [SEED1, '0932e6246c47', 0x6f04bf1a5ea24060n],
  [SEED1, 'ab427ea8d10fc7', 0xe11847e4f0678c41n],
  [SEED2, '', 0x10a9d5d3996fd65dn],
  [SEED2, 'af', 0x68201f91960ebf91n],
  [SEED2, 'e70f', 0x64b581631f6ab378n],
  [SEED2, '37f495', 0xe1f2dfa6e5131408n],
  [SEED2, '8642dc59', 0x36289d9654fb49f6n],
  [SEED2, '153fb79826', 0x0a06114b13464dbdn],
  // SymCrypt's default seed (first 8 bytes of SHA-256("Marvin32")) over "abc".
  [0xd53cd9cecd0893b7n, Buffer.from('abc').toString('hex'), 0x22c74339492769bfn],
];

describe('Marvin32', () => {
  it.each(VECTORS.map(([seed, data, want]) => [seed.toString(16), data, want]))('seed %s data "%s"', (seedHex, data, want) => {
    const seed = BigInt(`0x${seedHex}`);
    expect(marvin64(hex(data), seed)).toBe(want);
    // The 32-bit checksum collapses the two halves with xor.
    expect(marvin32(hex(data), seed)).toBe(Number((want >> 32n) ^ (want & 0xffffffffn)));
  });

  it('derives checksum seeds from their 8-character names', () => {
    expect(seedFromName('Default0')).toBe(0x44656661756c7430n);
    expect(seedFromName('MastRW00')).toBe(0x4d61737452573030n);
  });
});

describe('Azure identifiable keys', () => {
  it('verifies a generated key of every family and names it', () => {
    for (const [messageId, key] of Object.entries(azureKeys(3)))
      expect([messageId, verifyAzureKey(key)?.messageId]).toEqual([messageId, messageId]);
  });

  it('rejects a key with one changed character, a wrong seed, or a non-canonical padding bit', () => {
    const rand = prng(9);
    const key = identifiableKey(rand, '+ASt', seedFromName('Default0'), 64);
    expect(verifyAzureKey(key)?.messageId).toBe('azureStorageKey');
    const flipped = `${key[0] === 'A' ? 'B' : 'A'}${key.slice(1)}`;
    expect(verifyAzureKey(flipped)).toBeUndefined();
    expect(verifyAzureKey(identifiableKey(rand, '+ASt', seedFromName('Other000'), 64))).toBeUndefined();
    const last = key.replace(/=+$/, '');
    const bumped = `${last.slice(0, -1)}${String.fromCharCode(last.charCodeAt(last.length - 1) + 1)}==`;
    expect(verifyAzureKey(bumped)).toBeUndefined();
  });
});

/**
 * Known-good keys built without the code under test: the independent reference Marvin (checked
 * against the published vectors first) and the families' signatures and seed names as
 * Microsoft's security-utilities specify them, written out here rather than read from
 * AZURE_KEY_KINDS. A wrong seed or signature in the table, or a wrong checksum, fails these.
 */
describe('Azure identifiable keys against the specification', () => {
  it.each(VECTORS.map(([seed, data, want]) => [seed.toString(16), data, want]))(
    'the reference Marvin matches the published vector: seed %s data "%s"',
    (seedHex, data, want) => {
      expect(referenceMarvin64(hex(data), BigInt(`0x${seedHex}`))).toBe(want);
    },
  );

  const SPEC: [string, string, string[], number, boolean][] = [
    ['azureStorageKey', '+ASt', ['Default0'], 64, false],
    ['azureCosmosKey', 'ACDb', ['MastRO00', 'MastRW00', 'SysAll00', 'Resour00', 'SystRO00', 'SystRW00', 'Encryp00'], 64, false],
    ['azureServiceBusKey', '+ASb', ['Send0000', 'Listen00', 'Manage00', 'System00', 'Unknown0'], 32, false],
    ['azureEventHubKey', '+AEh', ['Send0000', 'Listen00', 'Manage00', 'System00', 'Unknown0'], 32, false],
    ['azureRelayKey', '+ARm', ['Send0000', 'Listen00', 'Manage00', 'System00', 'Unknown0'], 32, false],
    ['azureContainerRegistryKey', '+ACR', ['ACRDflt0'], 39, false],
    ['azureFunctionKey', 'AzFu', ['Functi00', 'System00', 'Master00'], 40, true],
    ['azureSearchKey', 'AzSe', ['Query000', 'PAdmin00'], 39, true],
    ['azureApimKey', 'APIM', ['Tenant00', 'IoTHub00', 'Gatewy00', 'GitKey00'], 64, false],
    ['azureRedisKey', 'AzCa', ['Access00'], 32, false],
    ['azureEventGridKey', 'AZEG', ['Default0'], 32, false],
    ['azureBatchKey', '+ABa', ['AbAcct00'], 64, false],
    ['azureIotKey', 'AIoT', ['IoTHub00', 'DpsKey00', 'Device00'], 32, false],
    ['azureMlKey', '+AMC', ['Classic0'], 64, false],
  ];

  it.each(SPEC)('%s (%s): a key checksummed with each specified seed verifies', (messageId, signature, seeds, bytes, urlSafe) => {
    const rand = prng(21);
    for (const name of seeds) {
      const key = identifiableKey(rand, signature, referenceSeed(name), bytes, urlSafe, referenceMarvin32);
      expect([name, verifyAzureKey(key)?.messageId]).toEqual([name, messageId]);
    }
    // A seed the family does not use never verifies.
    expect(verifyAzureKey(identifiableKey(rand, signature, referenceSeed('NotASeed'), bytes, urlSafe, referenceMarvin32))).toBeUndefined();
  });

  it('seeds are the big-endian ASCII of their names', () => {
    expect(seedFromName('Default0')).toBe(referenceSeed('Default0'));
    expect(referenceSeed('Default0')).toBe(0x44656661756c7430n);
    expect(referenceMarvin32(Uint8Array.from(Buffer.from('abc')), 0xd53cd9cecd0893b7n)).toBe(
      marvin32(Uint8Array.from(Buffer.from('abc')), 0xd53cd9cecd0893b7n),
    );
  });
});
