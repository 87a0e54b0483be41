export const LAYERS: string[][];
export const KNOWN_UPWARD: string[];
export function areaOf(file: string): string;
export function importGraph(): Map<string, string[]>;
export function cycles(graph: Map<string, string[]>): string[][];
export function upwardImports(graph: Map<string, string[]>): string[];
