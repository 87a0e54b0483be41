/**
 * `@actions/core` behind one line writer: every message the action logs (info, debug,
 * annotations, the failure) passes `safeLines`, so no byte of a scanned file can start a
 * workflow command, whatever layout the text report has.
 */
import { safeLines } from '../report/safe-text.js';
import type { ActionsCore, Annotation } from './github.js';

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
    error: (message, p) => (p ? core.error(safeLines(message), props(p)) : core.error(safeLines(message))),
    warning: (message, p) => (p ? core.warning(safeLines(message), props(p)) : core.warning(safeLines(message))),
    notice: (message, p) => (p ? core.notice(safeLines(message), props(p)) : core.notice(safeLines(message))),
    summary: core.summary,
  };
}
