/** Option values every face accepts the same way (kept for importers; see inputs.ts). */
export { parseThreads } from './inputs.js';
