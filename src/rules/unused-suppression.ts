import { systemRule } from '../rule.js';

/** Engine-produced: a suppression that matches no finding. */
export const rule = systemRule({
  id: 'unused-suppression',
  title: 'Unused suppression',
  level: 'warning',
  precision: 'very-high',
  description: 'A podguard-ignore comment or podguard.dev/ignore annotation names a rule that reports nothing where it applies.',
  why: 'A suppression that matches nothing is stale (the problem was fixed, or it sits on the wrong line) and would silently hide the next real finding in that place. Rules that are turned off are not checked for unused suppressions.',
  fix: 'Delete the suppression, or drop the rule id that no longer fires, or move the comment to the line just above the finding:\n\n```yaml\n      securityContext:\n        # podguard-ignore privileged-container -- CNI plugin needs host access\n        privileged: true\n```',
  tags: ['suppression'],
  kinds: ['kubernetes', 'compose', 'aci', 'dockerfile'],
  messages: {
    unused: 'This {form} suppresses {rule}, but {rule} reports nothing here: remove it (or the rule id).',
  },
});
