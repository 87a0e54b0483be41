// Lists the functions in src/ longer than a limit (80 lines by default): function declarations,
// methods, constructors, accessors, arrow functions and function expressions, each counted from
// its first line to its last. `node scripts/long-functions.mjs [limit]` prints them, longest first;
// test/core/long-functions.test.ts fails on one that is not in ALLOWED below.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');

/** The longest a function in src/ may be (lines, first to last). */
export const LIMIT = 80;

/**
 * Functions allowed over the limit, as `file:name` (files relative to src/): data tables only.
 * The test fails on an entry that is no longer over the limit, so the list only shrinks.
 */
export const ALLOWED = [
  // Data tables: one entry per setting or rule, longer as the table grows.
  'config/schema.ts:configSchema',
];

/** Every .ts file under `dir`, relative to src/ with `/` separators, sorted. */
export function sourceFiles(dir = SRC) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const path = join(dir, e.name);
      if (e.isDirectory()) return sourceFiles(path);
      return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [relative(SRC, path).split(sep).join('/')] : [];
    })
    .sort();
}

/** The text of a property name or binding name, when it is a plain one. */
function nameText(name) {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return undefined;
}

/**
 * The name a function is known by: its own name, else the variable, property or parameter it is
 * assigned to, else the call it is passed to (`listener` in `on('x', listener)` has its own name;
 * an anonymous callback is `<call>` of the callee, as `forEach callback`).
 */
function functionName(node) {
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const own = nameText(node.name);
  if (own) return own;
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isPropertyAssignment(parent)) {
    return nameText(parent.name) ?? '(anonymous)';
  }
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const left = parent.left;
    if (ts.isIdentifier(left)) return left.text;
    if (ts.isPropertyAccessExpression(left)) return left.name.text;
  }
  if (ts.isCallExpression(parent) || ts.isNewExpression(parent)) {
    const callee = parent.expression;
    const called = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : 'call';
    return `${called} callback`;
  }
  return '(anonymous)';
}

function isFunction(node) {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node) ||
    ts.isArrowFunction(node) ||
    ts.isFunctionExpression(node)
  );
}

/**
 * The functions of one source text with their line counts, nested ones included (a long function
 * inside a long function is listed on its own as well).
 */
export function functionsOf(file, text) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out = [];
  const visit = (node) => {
    if (isFunction(node) && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line + 1;
      out.push({ file, name: functionName(node), line: first, lines: last - first + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** Functions in src/ over `limit` lines, longest first, each `{ file, name, line, lines }`. */
export function longFunctions(limit = LIMIT) {
  return sourceFiles()
    .flatMap((file) => functionsOf(file, readFileSync(join(SRC, file), 'utf8')))
    .filter((f) => f.lines > limit)
    .sort((a, b) => b.lines - a.lines || a.file.localeCompare(b.file) || a.line - b.line);
}

/** `file:name`, the form ALLOWED uses. */
export function keyOf(f) {
  return `${f.file}:${f.name}`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const limit = process.argv[2] ? Number(process.argv[2]) : LIMIT;
  const long = longFunctions(limit);
  for (const f of long)
    console.log(`${String(f.lines).padStart(5)}  src/${f.file}:${f.line}  ${f.name}${ALLOWED.includes(keyOf(f)) ? '  (allowed)' : ''}`);
  const unknown = long.filter((f) => !ALLOWED.includes(keyOf(f)));
  console.log(`${long.length} functions over ${limit} lines, ${unknown.length} not allowed`);
  process.exitCode = limit === LIMIT && unknown.length > 0 ? 1 : 0;
}
