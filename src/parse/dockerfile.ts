/** Dockerfiles through dockerfile-ast (continuations, heredocs, escape directive), with stages. */
import { DockerfileParser } from 'dockerfile-ast';
import type { Dockerfile, From, Heredoc, Instruction } from 'dockerfile-ast';
import type { Range } from '../types.js';

/** An LSP-style 0-based range, as dockerfile-ast returns. */
interface LspRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/** Converts a dockerfile-ast range to a podguard 1-based range. */
export function dfRange(r: LspRange): Range {
  return {
    start: { line: r.start.line + 1, column: r.start.character + 1 },
    end: { line: r.end.line + 1, column: r.end.character + 1 },
  };
}

/** One build stage: a FROM and the instructions up to the next FROM. */
export interface Stage {
  index: number;
  from: From;
  /** `AS name`, lowercased (stage names are case-insensitive). */
  alias: string | undefined;
  /** The FROM image as written (after flags), e.g. `${BASE}:1.2`. */
  rawImage: string;
  /** The image with ARG defaults substituted; `unresolved` when a variable had no value. */
  image: string;
  unresolved: boolean;
  /** The earlier stage this stage builds on (`FROM build`), if any. */
  parent: Stage | undefined;
  instructions: Instruction[];
}

/** A parsed Dockerfile. */
export interface DockerfileModel {
  ast: Dockerfile;
  stages: Stage[];
  /** ARGs declared before the first FROM, with their defaults (undefined when none). */
  globalArgs: Map<string, string | undefined>;
}

const VAR = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/**
 * Substitutes `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}` from `vars`
 * the way BuildKit does for FROM. `unresolved` is true when a variable had no value and no
 * default (the result then still contains the `$` expression).
 */
export function substitute(text: string, vars: ReadonlyMap<string, string | undefined>): { value: string; unresolved: boolean } {
  let unresolved = false;
  const value = text.replace(
    VAR,
    (whole, braced: string | undefined, op: string | undefined, word: string | undefined, plain: string | undefined) => {
      const name = braced ?? plain ?? '';
      const v = vars.get(name);
      const set = v !== undefined;
      if (op === ':-') return set && v !== '' ? v : (word ?? '');
      if (op === '-') return set ? v : (word ?? '');
      if (op === ':+') return set && v !== '' ? (word ?? '') : '';
      if (op === '+') return set ? (word ?? '') : '';
      if (!set) {
        unresolved = true;
        return whole;
      }
      return v;
    },
  );
  // Doubling ARGs (`ARG B=$A$A`, ...) would grow a value exponentially: cap what substitution makes.
  return { value: value.length > MAX_SUBSTITUTED ? value.slice(0, MAX_SUBSTITUTED) : value, unresolved };
}

/** Longest value ARG/ENV substitution produces (a 514-byte Dockerfile of doubling ARGs made 134 MB of log). */
export const MAX_SUBSTITUTED = 4096;

/** The words after a FROM's flags: image, then optionally `AS name`. */
function fromWords(from: From): string[] {
  return from.getArguments().map((a) => a.getValue());
}

/** Parses a Dockerfile text into stages. Never throws on content (dockerfile-ast is lenient). */
export function parseDockerfile(text: string): DockerfileModel {
  const ast = DockerfileParser.parse(text);
  const globalArgs = new Map<string, string | undefined>();
  for (const arg of ast.getInitialARGs()) {
    const prop = arg.getProperty();
    const name = prop?.getName();
    // A default may use earlier ARGs (`ARG IMAGE=${REGISTRY}/app`), as BuildKit expands it.
    const value = prop?.getValue() ?? undefined;
    if (name) globalArgs.set(name, value === undefined ? undefined : substitute(value, globalArgs).value);
  }
  const stages: Stage[] = [];
  const byAlias = new Map<string, Stage>();
  let current: Stage | undefined;
  for (const ins of ast.getInstructions()) {
    if (ins.getKeyword() === 'FROM') {
      const from = ins as From;
      const words = fromWords(from);
      const rawImage = words[0] ?? '';
      const alias = words.length >= 3 && words[1]!.toLowerCase() === 'as' ? words[2]!.toLowerCase() : undefined;
      const { value, unresolved } = substitute(rawImage, globalArgs);
      const parent = byAlias.get(value.toLowerCase());
      current = { index: stages.length, from, alias, rawImage, image: value, unresolved, parent, instructions: [] };
      stages.push(current);
      if (alias) byAlias.set(alias, current);
    } else if (current) {
      current.instructions.push(ins);
    }
  }
  return { ast, stages, globalArgs };
}

/** A Dockerfile problem that BuildKit would reject or misread, with dockerfile-ast's 0-based range. */
export interface DockerfileProblem {
  message: string;
  range: LspRange;
}

/**
 * Problems dockerfile-ast tolerates but BuildKit does not: an `escape` directive other than
 * a backslash or a backtick, and here-documents whose closing delimiter never comes (the rest
 * of the file is then swallowed into the heredoc, so later instructions silently disappear).
 */
export function dockerfileProblems(model: DockerfileModel, text: string): DockerfileProblem[] {
  const problems: DockerfileProblem[] = [];
  for (const d of model.ast.getDirectives()) {
    if (d.getName().toLowerCase() !== 'escape') continue;
    const value = d.getValue();
    if (value === '\\' || value === '`') continue;
    problems.push({
      message: `the escape directive must be a backslash or a backtick, not ${JSON.stringify(value)} (BuildKit rejects it)`,
      range: d.getValueRange(),
    });
  }
  // A here-document starts with `<<`: a file without one has none to check, and asking each
  // RUN, COPY and ADD for its heredocs would parse its arguments again.
  if (!text.includes('<<')) return problems;
  for (const ins of model.ast.getInstructions()) {
    // getHeredocs is public on RUN, COPY and ADD at runtime but typed protected on Instruction.
    const withHeredocs = ins as unknown as { getHeredocs?: () => Heredoc[] };
    if (typeof withHeredocs.getHeredocs !== 'function') continue;
    for (const h of withHeredocs.getHeredocs()) {
      if (h.getDelimiterRange() !== null) continue;
      problems.push({
        message: `the here-document <<${h.getName()} is never closed (no line "${h.getName()}" follows), so everything after it is part of the heredoc`,
        range: h.getStartRange(),
      });
    }
  }
  return problems;
}

/** The final stage (the image that ships), if any. */
export function finalStage(model: DockerfileModel): Stage | undefined {
  return model.stages[model.stages.length - 1];
}
