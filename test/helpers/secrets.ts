/**
 * Test secrets and leak checks. Secrets are generated from a seeded PRNG, so fixtures are
 * reproducible and no real credential is ever committed; Azure identifiable keys get a real
 * Marvin32 checksum from our implementation (cross-checked against published vectors).
 */
import { marvin32 } from '../../src/secrets/marvin32.js';
import { AZURE_KEY_KINDS } from '../../src/secrets/detectors.js';

const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A small deterministic PRNG (mulberry32) so generated secrets are stable across runs. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` random characters from `alphabet`. */
export function randomString(rand: () => number, n: number, alphabet = B62): string {
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[Math.floor(rand() * alphabet.length)];
  return out;
}

/**
 * An Azure identifiable key: random base64 + 4-character signature + 4-byte little-endian
 * Marvin32 checksum of the bytes before it (`bytes` long in total; URL-safe alphabet if asked).
 */
export function identifiableKey(
  rand: () => number,
  signature: string,
  seed: bigint,
  bytes: number,
  urlSafe = false,
  checksum: (data: Uint8Array, seed: bigint) => number = marvin32,
): string {
  const encodedLen = Math.ceil((bytes * 8) / 6);
  const body = randomString(rand, encodedLen - 10, B62) + signature + 'AAAAAA';
  const std = (t: string): string => (urlSafe ? t.replace(/-/g, '+').replace(/_/g, '/') : t);
  const buf = Buffer.from(std(body), 'base64').subarray(0, bytes);
  const sum = checksum(buf.subarray(0, bytes - 4), seed);
  buf.writeUInt32LE(sum, bytes - 4);
  let key = buf.toString('base64');
  if (urlSafe) key = key.replace(/\+/g, '-').replace(/\//g, '_');
  if (key.replace(/=+$/, '').slice(-10, -6) !== signature) throw new Error('signature did not survive encoding');
  return key;
}

/** A valid key of every Azure identifiable family, keyed by message id. */
export function azureKeys(seed = 1): Record<string, string> {
  const rand = prng(seed);
  const size: Record<string, number> = { '+ASt': 64, ACDb: 64, APIM: 64, '+ABa': 64, '+AMC': 64, AzSe: 39, AzFu: 40, '+ACR': 39 };
  const out: Record<string, string> = {};
  for (const k of AZURE_KEY_KINDS) {
    out[k.messageId] = identifiableKey(
      rand,
      k.signature,
      k.seeds[0]!,
      size[k.signature] ?? 32,
      k.signature === 'AzFu' || k.signature === 'AzSe',
    );
  }
  return out;
}
