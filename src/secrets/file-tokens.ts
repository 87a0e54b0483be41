/**
 * Credential tokens of a file, found once and shared by the rules that report them by level
 * (secret-token, secret-password-in-url, secret-jwt): one pass over the text, one overlap
 * resolution, so a span is reported by exactly one of them.
 */
import { isYamlFile } from '../parse/index.js';
import type { ParsedFile } from '../parse/index.js';
import { asMap, get } from '../parse/yaml.js';
import type { Level } from '../types.js';
import type { RuleContext } from '../rule.js';
import { describeSecret } from '../redact.js';
import { DETECTORS, findTokens } from './detectors.js';
import type { TokenMatch } from './detectors.js';

/** A token with its offsets in the whole file. */
export interface FileToken {
  m: TokenMatch;
  start: number;
  end: number;
}

// A memo of a pure function, keyed by the checked unit (a document view or a Dockerfile): the
// entries go with the units once the file is done.
const memo = new WeakMap<ParsedFile, FileToken[]>();

/** Message templates of the token types a level's rule reports. */
export function tokenMessages(level: Level): Record<string, string> {
  return Object.assign({}, ...DETECTORS.filter((d) => d.level === level).map((d) => d.messages)) as Record<string, string>;
}

/** Every token of the unit (a YAML document or a Dockerfile), Secret data left to secret-kubernetes-secret. */
export function fileTokens(file: ParsedFile): FileToken[] {
  let tokens = memo.get(file);
  if (!tokens) {
    tokens = scanTokens(file);
    memo.set(file, tokens);
  }
  return tokens;
}

function scanTokens(file: ParsedFile): FileToken[] {
  const { text } = file.source;
  let from = 0;
  let to = text.length;
  // Literal Secret data is reported (with its token type) by secret-kubernetes-secret.
  const skip: [number, number][] = [];
  if (isYamlFile(file)) {
    // Multi-document files arrive one document at a time: scan from this document's `---`
    // line to the next one, so every line of the file is scanned exactly once.
    const doc = file.docs[0];
    const nextSeparator = (offset: number): number => {
      const i = text.slice(offset).search(/^---/m);
      return i < 0 ? text.length : offset + i;
    };
    if (!doc?.root) {
      // A document that did not parse still leaks what it holds: scan it when it is locatable
      // (the whole file is one document); other broken documents of a multi-document file are not.
      if (doc && (doc.index !== 0 || nextSeparator(4) < text.length)) return [];
    } else {
      from = doc.index === 0 ? 0 : text.lastIndexOf('\n---', doc.root.start) + 1;
      to = nextSeparator(doc.root.end);
    }
    for (const obj of file.objects) {
      if (obj.kind !== 'Secret') continue;
      for (const field of ['data', 'stringData']) {
        const m = asMap(get(obj.node, field));
        if (m) skip.push([m.start, m.end]);
      }
    }
  }
  const out: FileToken[] = [];
  for (const m of findTokens(text.slice(from, to))) {
    const start = from + m.start;
    const end = from + m.end;
    if (!skip.some(([a, b]) => start >= a && end <= b)) out.push({ m, start, end });
  }
  return out;
}

/** Reports the unit's tokens of one level as findings of the calling rule. */
export function reportTokens(file: ParsedFile, ctx: RuleContext, level: Level, ignored: ReadonlySet<string>): void {
  const { lines } = file.source;
  for (const { m, start, end } of fileTokens(file)) {
    if (m.level !== level || ignored.has(m.messageId)) continue;
    ctx.report({
      messageId: m.messageId,
      data: { desc: describeSecret(m.value), label: m.label },
      at: lines.range(start, end),
      identity: m.messageId,
      secret: m.value,
      properties: { precision: m.precision, tokenType: m.label, checksumVerified: m.verified },
    });
  }
}

/** Token types switched off with `rules.secret-token.ignoreTypes` (which predates the split by level). */
export function ignoredTokenTypes(ctx: RuleContext): Set<string> {
  const list = ctx.settings.rules['secret-token']?.options.ignoreTypes;
  return new Set(Array.isArray(list) ? list.filter((t): t is string => typeof t === 'string') : []);
}
