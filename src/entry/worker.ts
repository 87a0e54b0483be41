/** Worker-thread entry: checks batches of files for a scan running on the main thread (see engine/threads.ts). */
import { ALL_RULES } from '../rules/index.js';
import { runWorker } from '../engine/threads.js';

runWorker(ALL_RULES);
