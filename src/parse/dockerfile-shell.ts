/** The shell text of Dockerfile instructions, with positions back into the file. */
import type { Instruction } from 'dockerfile-ast';
import { ModifiableInstruction } from 'dockerfile-ast';
import type { DockerFile } from './index.js';
import { dfRange } from './dockerfile.js';
import type { Range } from '../types.js';

/** An instruction's arguments as one text (after its flags), with its offset in the file. */
export interface InstructionText {
  /** Continuations and the comment lines Docker drops inside them are blanked, keeping offsets. */
  text: string;
  /** Offset of `text[0]` in the file. */
  offset: number;
}

/** A continuation (escape, blanks, line break) and the comment lines Docker drops after it, per escape character. */
const CONTINUATION: Record<string, RegExp> = {
  '\\': /\\[ \t]*\r?\n(?:[ \t]*#[^\n]*\n)*/g,
  '`': /`[ \t]*\r?\n(?:[ \t]*#[^\n]*\n)*/g,
};

/** Each instruction's text, once: several rules read every RUN. */
const texts = new WeakMap<Instruction, InstructionText | null>();

/** The arguments of `ins` (flags left out) as one text; undefined when there are none. Read-only: it is shared. */
export function instructionText(file: DockerFile, ins: Instruction): InstructionText | undefined {
  let known = texts.get(ins);
  if (known === undefined) texts.set(ins, (known = readInstructionText(file, ins) ?? null));
  return known ?? undefined;
}

/** Reads the text `instructionText` keeps. */
function readInstructionText(file: DockerFile, ins: Instruction): InstructionText | undefined {
  const first = ins.getArguments()[0];
  if (!first) return undefined;
  const src = file.source;
  const startPos = dfRange(first.getRange()).start;
  const endPos = dfRange(ins.getRange()).end;
  const start = src.lines.lineStart(startPos.line) + startPos.column - 1;
  const end = src.lines.lineStart(endPos.line) + endPos.column - 1;
  const cont = CONTINUATION[file.model.ast.getEscapeCharacter() === '\\' ? '\\' : '`']!;
  const text = src.text.slice(start, end).replace(cont, (m) => ' '.repeat(m.length));
  return Object.freeze({ text, offset: start });
}

/** The file range of `text.slice(from, to)` of an instruction text. */
export function textRange(file: DockerFile, t: InstructionText, from: number, to: number): Range {
  return file.source.lines.range(t.offset + from, t.offset + to);
}

/** An instruction's flag by name (lowercase), e.g. `checksum` of `ADD --checksum=...`. */
export function flagOf(ins: Instruction, name: string): ReturnType<ModifiableInstruction['getFlags']>[number] | undefined {
  if (!(ins instanceof ModifiableInstruction)) return undefined;
  return ins.getFlags().find((f) => f.getName().toLowerCase() === name);
}

/** Every instruction of the file with its keyword (uppercase). */
export function* instructions(file: DockerFile): Generator<{ ins: Instruction; keyword: string }> {
  for (const ins of file.model.ast.getInstructions()) yield { ins, keyword: ins.getKeyword() };
}
