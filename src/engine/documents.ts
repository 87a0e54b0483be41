/** A parsed file's documents, checked one by one, and the problems its parser found. */
import type { ParsedFile, YamlFile } from '../parse/index.js';
import { rule as duplicateKey } from '../rules/duplicate-key.js';
import { rule as parseError } from '../rules/parse-error.js';
import type { SystemFindings } from './system-findings.js';

/** A per-document view of a YAML file, so a rule failure is contained to one document. */
export function documentViews(file: YamlFile): YamlFile[] {
  if (file.docs.length <= 1) return [file];
  // Group in one pass: filtering per document is quadratic in a file of thousands of documents.
  const objects = new Map<number, YamlFile['objects']>();
  const workloads = new Map<number, YamlFile['workloads']>();
  for (const o of file.objects) push(objects, o.docIndex, o);
  for (const w of file.workloads) push(workloads, w.object.docIndex, w);
  return file.docs.map((doc) => ({
    ...file,
    docs: [doc],
    objects: objects.get(doc.index) ?? [],
    workloads: workloads.get(doc.index) ?? [],
  }));
}

function push<T>(map: Map<number, T[]>, key: number, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * A securityContext at the wrong indentation (as Microsoft's Dutch AKS article prints it) breaks
 * the YAML at that line; say where the block has to line up.
 */
function indentHint(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*securityContext[ \t]*:/.test(text.slice(lineStart, lineStart + 100))
    ? " (a container securityContext must line up with that container's name: and image: keys; a pod-level one with containers:)"
    : '';
}

/** Reports what the parser found wrong: duplicate keys, YAML syntax, Dockerfile problems. */
export function reportProblems(parsed: ParsedFile, system: SystemFindings): void {
  const { source } = parsed;
  for (const p of parsed.problems) {
    const at = source.lines.range(p.offset, p.endOffset ?? p.offset);
    if (p.kind === 'duplicate-key')
      system.report({ rule: duplicateKey, message: 'duplicate', file: source, at, data: { message: p.message } });
    else if (p.kind === 'dockerfile')
      system.report({ rule: parseError, message: 'dockerfile', file: source, at, data: { message: p.message } });
    else
      system.report({
        rule: parseError,
        message: 'syntax',
        file: source,
        at,
        data: { message: p.message + indentHint(source.text, p.offset) },
      });
  }
}
