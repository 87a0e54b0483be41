import { systemRule } from '../rule.js';

/** Engine-produced: a mapping defines the same key twice. */
export const rule = systemRule({
  id: 'duplicate-key',
  title: 'Duplicate YAML key',
  level: 'warning',
  precision: 'very-high',
  description: 'A YAML mapping defines the same key twice; only the last value takes effect.',
  why: 'Kubernetes keeps the last of duplicate keys, so a reviewer who reads `privileged: false` may miss a later `privileged: true`. podguard checks the value that takes effect.',
  fix: 'Keep one occurrence of the key:\n\n```yaml\nsecurityContext:\n  privileged: false\n```',
  tags: ['correctness'],
  kinds: ['kubernetes', 'compose', 'aci'],
  messages: { duplicate: '{message}.' },
});
