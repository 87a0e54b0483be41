// Checks the import graph of src/: no import cycle between files, and no import that runs up the
// layers (docs/architecture.md). `node scripts/layers.mjs` prints the result; test/core/layers.test.ts
// fails on a new cycle or a new upward import.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');

/**
 * Areas of src/ (a top-level file without `.ts`, or a folder), lowest first. A file may import
 * its own layer and the layers below it.
 */
export const LAYERS = [
  ['types', 'version', 'data', 'redact', 'findings', 'safe-text', 'own-copy'],
  ['parse'],
  // The rule contract names the documents a rule checks (parse) and the settings it reads.
  ['rule', 'image', 'secrets', 'config', 'suggest'],
  ['collect', 'render', 'baseline', 'suppress', 'rules', 'policy'],
  // The scan's stages (src/engine/) and its public face (src/engine.ts).
  ['engine'],
  // docs.ts renders the rule pages and the README table: an output, like report/.
  ['report', 'docs'],
  ['platform'],
  ['entry'],
];

/**
 * Upward imports that exist today, each `from -> to` (files relative to src/). The check fails on
 * any other; an entry that no longer occurs must be removed, so the list only shrinks.
 */
export const KNOWN_UPWARD = [];

const layerOf = new Map(LAYERS.flatMap((areas, i) => areas.map((a) => [a, i])));

/** The area of a file relative to src/ (`rules/x.ts` -> `rules`, `engine.ts` -> `engine`). */
export function areaOf(file) {
  const parts = file.split('/');
  return parts.length > 1 ? parts[0] : parts[0].replace(/\.ts$/, '');
}

function sourceFiles(dir = SRC) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') ? [relative(SRC, path).split(sep).join('/')] : [];
  });
}

const IMPORT = /^\s*(?:import|export)\b[^'"]*?\bfrom\s+'(\.{1,2}\/[^']+)'|\bimport\(\s*'(\.{1,2}\/[^']+)'\s*\)/gm;

/** Every relative import in src/, as a map from file to the files it imports (type-only included). */
export function importGraph() {
  const graph = new Map();
  for (const file of sourceFiles()) {
    const text = readFileSync(join(SRC, file), 'utf8');
    const targets = new Set();
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2];
      targets.add(posix.normalize(posix.join(posix.dirname(file), spec)).replace(/\.js$/, '.ts'));
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}

/** Strongly connected components with more than one file, or a file importing itself. */
export function cycles(graph) {
  let index = 0;
  const stack = [];
  const info = new Map();
  const found = [];
  const visit = (v) => {
    info.set(v, { index, low: index, onStack: true });
    index += 1;
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!info.has(w)) {
        visit(w);
        info.get(v).low = Math.min(info.get(v).low, info.get(w).low);
      } else if (info.get(w).onStack) info.get(v).low = Math.min(info.get(v).low, info.get(w).index);
    }
    if (info.get(v).low === info.get(v).index) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        info.get(w).onStack = false;
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!info.has(v)) visit(v);
  return found;
}

/** Imports from a lower layer to a higher one, as `from -> to`; unknown areas are reported too. */
export function upwardImports(graph) {
  const out = [];
  for (const [from, targets] of graph) {
    for (const to of targets) {
      const a = layerOf.get(areaOf(from));
      const b = layerOf.get(areaOf(to));
      if (a === undefined || b === undefined || b > a) out.push(`${from} -> ${to}`);
    }
  }
  return out.sort();
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const graph = importGraph();
  const loops = cycles(graph);
  const upward = upwardImports(graph);
  const edges = [...graph.values()].reduce((n, t) => n + t.length, 0);
  console.log(`${graph.size} files, ${edges} imports, ${loops.length} cycles, ${upward.length} upward imports`);
  for (const c of loops) console.log(`cycle: ${c.join(' <-> ')}`);
  for (const u of upward) console.log(`upward${KNOWN_UPWARD.includes(u) ? ' (known)' : ''}: ${u}`);
  const unknown = upward.filter((u) => !KNOWN_UPWARD.includes(u));
  process.exitCode = loops.length > 0 || unknown.length > 0 ? 1 : 0;
}
