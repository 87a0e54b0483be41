export interface FunctionLength {
  file: string;
  name: string;
  line: number;
  lines: number;
}
export const LIMIT: number;
export const ALLOWED: string[];
export function sourceFiles(dir?: string): string[];
export function functionsOf(file: string, text: string): FunctionLength[];
export function longFunctions(limit?: number): FunctionLength[];
export function keyOf(f: FunctionLength): string;
