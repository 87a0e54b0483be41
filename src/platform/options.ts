/** Option values every face accepts the same way. */
import { ConfigurationError } from '../types.js';

/** Most threads a scan may ask for: each worker holds its own heap (about 150 MB at most). */
export const MAX_THREADS = 16;

/** `--threads` / the `threads` input: empty means "the engine decides"; otherwise 1-16. */
export function parseThreads(raw: string | undefined, name: string): number | undefined {
  const value = (raw ?? '').trim();
  if (value === '') return undefined;
  if (!/^[1-9]\d?$/.test(value) || Number(value) > MAX_THREADS) {
    throw new ConfigurationError(`${name} must be a whole number from 1 to ${MAX_THREADS} (got "${value.slice(0, 20)}")`);
  }
  return Number(value);
}
