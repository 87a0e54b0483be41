/** The engine's public face (the scan lives in `src/engine/`): what the faces, sinks and tests import. */
export { scan } from './engine/scan.js';
export type { ScanInput, ScanResult } from './engine/scan.js';
export { rangeOf } from './parse/source.js';
