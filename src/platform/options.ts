/** Option values every face accepts the same way. */
import { ConfigurationError } from '../types.js';

/** `--threads` / the `threads` input: empty means "the engine decides"; otherwise 1-999. */
export function parseThreads(raw: string | undefined, name: string): number | undefined {
  const value = (raw ?? '').trim();
  if (value === '') return undefined;
  if (!/^[1-9]\d{0,2}$/.test(value)) throw new ConfigurationError(`${name} must be a whole number from 1 to 999 (got "${value}")`);
  return Number(value);
}
