/**
 * Text from scanned files made safe for every log, annotation and message. A pull request's
 * author controls every byte podguard echoes (names, values, paths, file names); none of it may
 * start a workflow or logging command line:
 * - GitHub's runner reads `::command::` at the start of a line (after trimming white space), and
 *   the older `##[command]` anywhere in it;
 * - the Azure Pipelines agent acts on `##vso[` anywhere in a line, found with a culture-sensitive
 *   search, under which zero-width and other ignorable characters do not count.
 * So control, format and ignorable characters are shown as visible escapes (`\n`, `\u2028`), and
 * command prefixes get a visible backslash (`#\#vso[`, `:\:error`) that no collation ignores.
 * Ground floor: imports nothing.
 */

/** Characters never printed as they are in data: controls, line and paragraph separators, format and ignorable characters. */
const UNSAFE_IN_DATA = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/gu;
/** The same at line level, where podguard's own newlines, tabs and colour sequences stay. */
/* A colour sequence right after `#` is escaped too: ESC is ignorable, so `##<ESC>[` would read as `##[`. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is matched
const UNSAFE_IN_LINE = /(?!\n|\t|(?<![#oO])\u001b\[[0-9;]*m)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/gu;
/** `##vso[` and `##[` (any case) anywhere: the `#` that starts one. */
const HASH_COMMAND = /#(?=#(?:vso)?\[)/gi;
/** A line that starts, after white space as .NET trims it (NEL included), with `::`. */
const COLON_COMMAND = /^([\s\u0085]*):(?=:)/u;

/** The visible escape of one character: `\n`, `\r`, `\t`, else `\uXXXX` (`\u{XXXXX}` above the BMP). */
function escapeChar(ch: string): string {
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  if (ch === '\t') return '\\t';
  const cp = ch.codePointAt(0)!;
  return cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, '0')}`;
}

/** Printable ASCII (and, for lines, podguard's own newlines and tabs): no control character to escape. */
const PLAIN_DATA = /^[\x20-\x7e]*$/;
const PLAIN_LINES = /^[\x20-\x7e\n\t]*$/;
/** Anything but printable ASCII and newlines (JSON.stringify output escapes every other control). */
const NOT_ASCII = /[^\n\x20-\x7e]/;
/** A line of plain text that starts (after blanks) with `::`. */
const LINE_COLON_COMMAND = /(?:^|\n)[ \t]*::/;

/** Defuses `##vso[`, `##[` anywhere and a leading `::`, in one line without line breaks. */
function defuseLine(line: string): string {
  return line.replace(HASH_COMMAND, '#\\').replace(COLON_COMMAND, '$1:\\');
}

/** Longest value echoed in a message, in characters: longer ones are cut (output amplification). */
export const MAX_ECHO = 200;

/** Cuts a value to `max` characters (never inside a surrogate pair), saying how long it was. */
export function capText(text: string, max = MAX_ECHO): string {
  if (text.length <= max) return text;
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}… (${text.length} characters)`;
}

/**
 * A value from a scanned file (a name, an image, a path) for use inside a message: capped at
 * `max` characters, every control, separator and ignorable character escaped, command prefixes
 * defused. The result is one line that cannot start or carry a logging command.
 */
export function safeData(value: string, max = MAX_ECHO): string {
  // Most values are plain printable ASCII with nothing to defuse: skip the Unicode-class pass.
  if (value.length <= max && PLAIN_DATA.test(value) && !value.includes('#') && !COLON_COMMAND.test(value)) return value;
  return defuseLine(capText(value, max).replace(UNSAFE_IN_DATA, escapeChar));
}

/** A file path for a message or a report line: like `safeData`, without the length cap. */
export function safePath(path: string): string {
  return safeData(path, Number.MAX_SAFE_INTEGER);
}

/**
 * Output text for a log (stdout, stderr, a task log): podguard's own line breaks, tabs and colour
 * sequences stay; any other control or ignorable character is escaped, and no line may start a
 * command. Every face's line writer passes its text through this, so a layout change elsewhere
 * stays covered.
 */
export function safeLines(text: string): string {
  if (PLAIN_LINES.test(text) && !text.includes('#') && !LINE_COLON_COMMAND.test(text)) return text;
  // CRLF from a platform's own line endings is one break; a lone CR is data.
  const escaped = text.replace(/\r\n/g, '\n').replace(UNSAFE_IN_LINE, escapeChar);
  return escaped.split('\n').map(defuseLine).join('\n');
}

/** True when some line of `text` would start a GitHub or Azure logging command (for tests and self-checks). */
export function startsCommand(line: string): boolean {
  const trimmed = line.replace(/^[\s\u0085]+/u, '');
  return trimmed.startsWith('::') || /##(?:vso)?\[/i.test(line);
}

/**
 * JSON output for a log (`--format json|sarif` on stdout): the same defusing, in escapes JSON
 * reads back as the same characters (`\u2028`, `#\u0023vso[`), so the document parses unchanged.
 */
export function safeJsonLines(json: string): string {
  // JSON.stringify leaves U+2028, U+2029, NEL and format characters raw; controls are escaped already.
  const hex = (unit: number): string => `\\u${unit.toString(16).padStart(4, '0')}`;
  // JSON.stringify escapes every control below U+0020: ASCII text without `#` has nothing left to defuse.
  if (!NOT_ASCII.test(json) && !json.includes('#')) return json;
  return json
    .replace(UNSAFE_IN_LINE, (ch) => [...Array(ch.length).keys()].map((k) => hex(ch.charCodeAt(k))).join(''))
    .replace(/##(?=(?:vso)?\[)/gi, '#\\u0023');
}
