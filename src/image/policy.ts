/**
 * The image policy, one for every format: deny list first, then the allowlist, then the tag
 * and digest pinning. Settings: `allowedImages`, `deniedImages`, `requireDigest`.
 */
import { compilePatterns } from '../config/patterns.js';
import type { Settings } from '../config/settings.js';
import { familiarName } from './reference.js';
import type { ImageReference } from './reference.js';

/** The compiled policy of one scan. */
export interface ImagePolicy {
  allowed: readonly string[];
  denied: readonly string[];
  requireDigest: boolean;
  matchAllowed(name: string): string | undefined;
  matchDenied(name: string): string | undefined;
}

/** Compiles the policy from settings. */
export function compilePolicy(settings: Settings): ImagePolicy {
  return {
    allowed: settings.allowedImages,
    denied: settings.deniedImages,
    requireDigest: settings.requireDigest,
    matchAllowed: compilePatterns(settings.allowedImages),
    matchDenied: compilePatterns(settings.deniedImages),
  };
}

/** The policy for a rule's scan, compiled once and kept in the rule's per-scan state. */
export function policyOf(settings: Settings, state: Map<string, unknown>): ImagePolicy {
  let policy = state.get('imagePolicy') as ImagePolicy | undefined;
  if (!policy) {
    policy = compilePolicy(settings);
    state.set('imagePolicy', policy);
  }
  return policy;
}

/** What the policy says about an image name. */
export type NameVerdict = { kind: 'denied'; pattern: string } | { kind: 'notAllowed' } | { kind: 'allowed' };

/** Deny list first, then the allowlist (an empty allowlist allows everything not denied). */
export function judgeName(policy: ImagePolicy, name: string): NameVerdict {
  const denied = policy.matchDenied(name);
  if (denied !== undefined) return { kind: 'denied', pattern: denied };
  if (policy.allowed.length > 0 && policy.matchAllowed(name) === undefined) return { kind: 'notAllowed' };
  return { kind: 'allowed' };
}

/** "What is allowed", for messages: the allowlist (shortened), or everything not denied. */
export function allowedText(policy: ImagePolicy): string {
  if (policy.allowed.length === 0) return 'any image not matching deniedImages';
  const shown = policy.allowed.slice(0, 5).join(', ');
  return policy.allowed.length > 5 ? `${shown} and ${policy.allowed.length - 5} more` : shown;
}

/** How a reference's pinning falls short, if it does. */
export type PinProblem = 'noTag' | 'latest' | 'noDigest';

/** A digest pins the image whatever the tag says; otherwise a version tag is needed, and a digest is advised. */
export function pinProblem(ref: ImageReference): PinProblem | undefined {
  if (ref.digest) return undefined;
  if (ref.tag === undefined) return 'noTag';
  if (ref.tag === 'latest') return 'latest';
  return 'noDigest';
}

/** A pinned example of the reference for fix hints. */
export function pinnedExample(ref: ImageReference): string {
  let short = ref.original.split('@')[0]!;
  if (ref.tag !== undefined) short = short.slice(0, -(ref.tag.length + 1));
  if (short === '') short = familiarName(ref.name);
  const tag = ref.tag && ref.tag !== 'latest' ? ref.tag : '<version>';
  return `${short}:${tag}@sha256:<digest>`;
}
