/** The user a Dockerfile's final stage runs as, following `FROM <stage>` chains. */
import type { Arg, Env, Instruction } from 'dockerfile-ast';
import { dfRange, finalStage, substitute } from '../parse/dockerfile.js';
import type { DockerfileModel, Stage } from '../parse/dockerfile.js';
import type { Range } from '../types.js';
import { compilePatterns } from '../config/patterns.js';
import { parseReference } from './reference.js';

/** Image name patterns of base images published to run as non-root (their default USER is not 0). */
export const BUILTIN_NON_ROOT_IMAGES: readonly string[] = ['cgr.dev/chainguard/**'];

const matchers = new Map<string, (name: string) => string | undefined>();

/** A matcher for the built-in non-root images plus the configured `nonRootImages` patterns. */
export function nonRootMatcher(configured: unknown): (name: string) => boolean {
  const list = Array.isArray(configured) ? configured.filter((p): p is string => typeof p === 'string') : [];
  const key = list.join('\n');
  let m = matchers.get(key);
  if (!m) {
    m = compilePatterns([...BUILTIN_NON_ROOT_IMAGES, ...list]);
    if (matchers.size > 64) matchers.clear();
    matchers.set(key, m);
  }
  const match = m;
  return (name) => match(name) !== undefined;
}

/** How the final user was decided. */
export type UserKind =
  /** No USER anywhere in the chain: the base image's default, root for almost every image. */
  | 'default'
  /** No USER, but the base image is published as non-root (a `nonroot` tag). */
  | 'baseNonRoot'
  | 'root'
  | 'numeric'
  | 'named'
  /** The USER value holds a variable podguard cannot resolve (e.g. `$APP_UID` from the base image). */
  | 'unresolved';

/** The final stage's effective user. */
export interface FinalUser {
  kind: UserKind;
  /** The USER value (after ARG/ENV substitution), when a USER decides. */
  user: string | undefined;
  /** Where the deciding USER stands, or the final FROM when none does. */
  range: Range;
  /** The stage holding the deciding USER (or the final stage). */
  stage: Stage;
  /** The chain's bottom stage builds `FROM scratch`. */
  scratch: boolean;
}

/** ARG and ENV values visible before `before` in a stage (stage ARGs default to global ARG defaults). */
export function variablesBefore(model: DockerfileModel, stage: Stage, before: Instruction): Map<string, string | undefined> {
  const vars = new Map<string, string | undefined>();
  for (const ins of stage.instructions) {
    if (ins === before) break;
    const keyword = ins.getKeyword();
    if (keyword === 'ARG') {
      const prop = (ins as Arg).getProperty();
      const name = prop?.getName();
      if (name) vars.set(name, prop?.getValue() ?? model.globalArgs.get(name));
    } else if (keyword === 'ENV') {
      for (const prop of (ins as Env).getProperties()) vars.set(prop.getName(), prop.getValue() ?? '');
    }
  }
  return vars;
}

/** Classifies a USER value (`name`, `uid`, `name:group`, `uid:gid`). */
export function classifyUser(value: string): 'root' | 'numeric' | 'named' {
  // BuildKit strips the quotes of `USER "root"`; the runtime parses `+0` as uid 0.
  const user = value
    .trim()
    .replace(/^(["'])(.*)\1$/, '$2')
    .split(':')[0]!
    .trim()
    .replace(/^(["'])(.*)\1$/, '$2');
  // ContainerAdministrator is the Windows containers' administrator account.
  if (['root', 'containeradministrator'].includes(user.toLowerCase()) || /^\+?0+$/.test(user)) return 'root';
  return /^\+?\d+$/.test(user) ? 'numeric' : 'named';
}

function bottom(stage: Stage): Stage {
  let s = stage;
  while (s.parent) s = s.parent;
  return s;
}

/** The final stage's effective user, or undefined for a Dockerfile without a usable final FROM. */
export function finalUser(model: DockerfileModel, nonRootImage?: (name: string) => boolean): FinalUser | undefined {
  const last = finalStage(model);
  // A FROM without an image fails the build; there is no image whose user could be judged.
  if (!last || last.rawImage === '') return undefined;
  const base = bottom(last);
  const scratch = base.image.toLowerCase() === 'scratch';
  for (let s: Stage | undefined = last; s; s = s.parent) {
    // A USER without a value fails the build; it decides nothing.
    const users = s.instructions.filter((i) => i.getKeyword() === 'USER' && (i.getArgumentsContent()?.trim() ?? '') !== '');
    const ins = users[users.length - 1];
    if (!ins) continue;
    const raw = ins.getArgumentsContent()?.trim() ?? '';
    const { value, unresolved } = substitute(raw, variablesBefore(model, s, ins));
    const range = dfRange(ins.getRange());
    if (unresolved || value.includes('$')) return { kind: 'unresolved', user: value, range, stage: s, scratch };
    return { kind: classifyUser(value), user: value, range, stage: s, scratch };
  }
  const range = dfRange(last.from.getRange());
  const ref = scratch || base.unresolved ? undefined : parseReference(base.image);
  const nonRoot =
    ref?.ok === true && ((ref.tag !== undefined && /(^|[-_.])nonroot($|[-_.])/.test(ref.tag)) || (nonRootImage?.(ref.name) ?? false));
  return { kind: nonRoot ? 'baseNonRoot' : 'default', user: undefined, range, stage: last, scratch };
}
