// Lists the functions of TypeScript files with their length in lines, longest first, by walking
// the AST (functions, methods, arrows, accessors, constructors; a nested function counts inside
// its parent too). The project's limit is about 80 lines per function in src/.
//
//   node scripts/function-lengths.mjs [--over N] [FILE_OR_DIR...]     default: src/, all lengths
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '..');

function files(path) {
  if (statSync(path).isFile()) return path.endsWith('.ts') ? [path] : [];
  return readdirSync(path).flatMap((e) => files(join(path, e)));
}

function nameOf(node, sf) {
  if (node.name) return node.name.getText(sf);
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const p = node.parent;
  if (p && ts.isVariableDeclaration(p)) return p.name.getText(sf);
  if (p && ts.isPropertyAssignment(p)) return p.name.getText(sf);
  return '(anonymous)';
}

/** Every function-like node of a file: { name, line, lines }. */
export function functionLengths(file) {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out = [];
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
      const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line + 1;
      out.push({ name: nameOf(node, sf), line: start, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--over');
  const over = at >= 0 ? Number(args.splice(at, 2)[1]) : 0;
  const targets = args.length ? args : ['src'];
  const rows = targets
    .flatMap((t) => files(resolve(ROOT, t)))
    .flatMap((f) => functionLengths(f).map((fn) => ({ ...fn, file: relative(ROOT, f) })))
    .filter((r) => r.lines > over)
    .sort((a, b) => b.lines - a.lines || a.file.localeCompare(b.file) || a.line - b.line);
  for (const r of rows) console.log(`${String(r.lines).padStart(4)}  ${r.file}:${r.line}  ${r.name}`);
}
