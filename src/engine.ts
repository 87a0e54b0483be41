/** The engine's public face (the scan lives in `src/engine/`): what the faces, sinks and tests import. */
export { scan, scanStreamed } from './engine/scan.js';
export type { ScanInput, ScanResult, StreamedScan } from './engine/scan.js';
export type { ScanReport } from './engine/scan-types.js';
export { rangeOf } from './parse/source.js';
