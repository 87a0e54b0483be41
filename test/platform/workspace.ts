/** A temporary workspace holding `files` (path to text): the scaffolding every platform test shares. */
import { tempDir, write } from '../helpers/git.js';

export function workspace(files: Record<string, string>, prefix = 'pg-platform-'): string {
  const root = tempDir(prefix);
  for (const [p, t] of Object.entries(files)) write(root, p, t);
  return root;
}
