/**
 * The Kubernetes CEL quantity library (`quantity('256Mi')`, `isQuantity`, `compareTo`, `add`...).
 * A quantity is held exactly, as a whole number of nano-units (bigint), inside a one-entry map:
 * @bufbuild/cel has no opaque custom types, and a map keeps equality exact
 * (`quantity('1Gi') == quantity('1024Mi')`). Methods refuse any other map.
 */
import { CelScalar, celFunc, celMethod, mapType } from '@bufbuild/cel';
import type { CelMap } from '@bufbuild/cel';

const KEY = '@quantity';
const QUANTITY = mapType(CelScalar.STRING, CelScalar.DYN);
const NANO = 1_000_000_000n;
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/** Sign, digits, fraction, suffix (binary, decimal SI, or a decimal exponent). */
const SYNTAX = /^([+-]?)(\d*)(?:\.(\d*))?(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

const DECIMAL: Record<string, number> = { n: 0, u: 3, m: 6, '': 9, k: 12, M: 15, G: 18, T: 21, P: 24, E: 27 };
const BINARY: Record<string, bigint> = { Ki: 10n, Mi: 20n, Gi: 30n, Ti: 40n, Pi: 50n, Ei: 60n };

/** Parses a quantity into nano-units (rounded up, as Kubernetes rounds to its smallest unit), or undefined. */
export function parseQuantity(s: string): bigint | undefined {
  // Bounded: a hostile manifest must not make a million-digit bigint.
  const m = s.length <= 64 ? SYNTAX.exec(s) : null;
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const suffix = m[4] ?? '';
  if (/^[eE]/.test(suffix) && Math.abs(Number(suffix.slice(1))) > 64) return undefined;
  const frac = m[3] ?? '';
  const digits = BigInt(`${m[2] || '0'}${frac}`);
  let num = digits;
  let den = 10n ** BigInt(frac.length);
  const binary = BINARY[suffix];
  if (binary !== undefined) num *= (1n << binary) * NANO;
  else if (/^[eE]/.test(suffix)) {
    const exp = 9 + Number(suffix.slice(1));
    if (exp >= 0) num *= 10n ** BigInt(exp);
    else den *= 10n ** BigInt(-exp);
  } else num *= 10n ** BigInt(DECIMAL[suffix]!);
  const value = (num + den - 1n) / den;
  return m[1] === '-' ? -value : value;
}

function quantity(nano: bigint): Map<string, bigint> {
  return new Map([[KEY, nano]]);
}

/** The nano-units of a quantity value; throws for any other value. */
export function quantityNano(m: CelMap): bigint {
  return nanoOf(m);
}

function nanoOf(m: CelMap): bigint {
  const v = m.get(KEY);
  if (typeof v !== 'bigint' || m.size !== 1) throw new Error('the value is not a quantity');
  return v;
}

function cmp(a: bigint, b: bigint): bigint {
  return a < b ? -1n : a > b ? 1n : 0n;
}

/** The functions of the quantity library. */
export const QUANTITY_FUNCS = [
  celFunc('isQuantity', [CelScalar.STRING], CelScalar.BOOL, (s) => parseQuantity(s) !== undefined),
  celFunc('quantity', [CelScalar.STRING], QUANTITY, (s) => {
    const v = parseQuantity(s);
    if (v === undefined) throw new Error('quantity() of a string that is not a quantity');
    return quantity(v);
  }),
  celMethod('add', QUANTITY, [QUANTITY], QUANTITY, function (o) {
    return quantity(nanoOf(this) + nanoOf(o));
  }),
  celMethod('add', QUANTITY, [CelScalar.INT], QUANTITY, function (n) {
    return quantity(nanoOf(this) + n * NANO);
  }),
  celMethod('sub', QUANTITY, [QUANTITY], QUANTITY, function (o) {
    return quantity(nanoOf(this) - nanoOf(o));
  }),
  celMethod('sub', QUANTITY, [CelScalar.INT], QUANTITY, function (n) {
    return quantity(nanoOf(this) - n * NANO);
  }),
  celMethod('sign', QUANTITY, [], CelScalar.INT, function () {
    return cmp(nanoOf(this), 0n);
  }),
  celMethod('isInteger', QUANTITY, [], CelScalar.BOOL, function () {
    const v = nanoOf(this);
    return v % NANO === 0n && v / NANO <= INT64_MAX && v / NANO >= INT64_MIN;
  }),
  celMethod('asInteger', QUANTITY, [], CelScalar.INT, function () {
    const v = nanoOf(this);
    if (v % NANO !== 0n || v / NANO > INT64_MAX || v / NANO < INT64_MIN) throw new Error('the quantity is not an integer');
    return v / NANO;
  }),
  celMethod('asApproximateFloat', QUANTITY, [], CelScalar.DOUBLE, function () {
    return Number(nanoOf(this)) / 1e9;
  }),
];
