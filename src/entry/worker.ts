/** Worker-thread entry: checks batches of files for a scan running on the main thread (see workers.ts). */
import { ALL_RULES } from '../rules/index.js';
import { runWorker } from '../workers.js';

runWorker(ALL_RULES);
