/**
 * `@actions/core` behind one line writer: every message the action logs (info, debug,
 * annotations, the failure) passes `safeLines`, so no byte of a scanned file can start a
 * workflow command, whatever layout the text report has.
 */
import { safeData, safeLines } from '../safe-text.js';

/** Where an annotation points (the subset of `@actions/core`'s AnnotationProperties we set). */
export interface Annotation {
  title: string;
  file: string;
  startLine: number;
  endLine: number;
  startColumn?: number;
  endColumn?: number;
}

/** The part of `@actions/core` the action uses. */
export interface ActionsCore {
  getInput(name: string): string;
  setOutput(name: string, value: string | number): void;
  setSecret(secret: string): void;
  setFailed(message: string): void;
  isDebug(): boolean;
  debug(message: string): void;
  info(message: string): void;
  /** Log folding (`::group::`); optional so test doubles may leave it out. */
  startGroup?(name: string): void;
  endGroup?(): void;
  error(message: string, properties?: Annotation): void;
  warning(message: string, properties?: Annotation): void;
  notice(message: string, properties?: Annotation): void;
  summary: { addRaw(text: string, addEOL?: boolean): { write(): Promise<unknown> } };
}

/** The same core, with every logged message made safe. */
export function safeCore(core: ActionsCore): ActionsCore {
  const props = (p: Annotation | undefined): Annotation | undefined => (p ? { ...p, title: safeLines(p.title) } : undefined);
  return {
    getInput: (name) => core.getInput(name),
    setOutput: (name, value) => core.setOutput(name, value),
    setSecret: (secret) => core.setSecret(secret),
    setFailed: (message) => core.setFailed(safeLines(message)),
    isDebug: () => core.isDebug(),
    debug: (message) => core.debug(safeLines(message)),
    info: (message) => core.info(safeLines(message)),
    // A group's name is one line: data in it could otherwise end the group line and start a command.
    ...(core.startGroup && core.endGroup
      ? { startGroup: (name: string) => core.startGroup!(safeData(name)), endGroup: () => core.endGroup!() }
      : {}),
    error: (message, p) => (p ? core.error(safeLines(message), props(p)) : core.error(safeLines(message))),
    warning: (message, p) => (p ? core.warning(safeLines(message), props(p)) : core.warning(safeLines(message))),
    notice: (message, p) => (p ? core.notice(safeLines(message), props(p)) : core.notice(safeLines(message))),
    summary: core.summary,
  };
}
