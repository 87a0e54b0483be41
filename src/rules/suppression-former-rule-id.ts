import { systemRule } from '../rule.js';

/** Engine-produced: a suppression that works through a rule's former id. */
export const rule = systemRule({
  id: 'suppression-former-rule-id',
  title: 'Suppression names a former rule id',
  level: 'note',
  securitySeverity: 1.0,
  precision: 'very-high',
  description:
    'A podguard-ignore comment or podguard.dev/ignore annotation names a rule id that was renamed or split (see CHANGELOG.md); it still works, and the note names the current id.',
  why: 'Rule ids are the keys of suppressions, baselines and alert history, so a rename or split must not reopen findings a team already reviewed. The old id keeps working; the note says which id to write so the suppression reads true again.',
  fix: 'Write the current id the note names (keep the reason):\n\n```dockerfile\n# podguard-ignore image-digest -- the base image is re-pinned by Renovate weekly\nFROM mcr.microsoft.com/dotnet/aspnet:8.0\n```',
  tags: ['suppression'],
  kinds: ['kubernetes', 'compose', 'aci', 'dockerfile'],
  messages: {
    formerId:
      'This {form} names {rule}, whose finding here is now reported as {current}: write {current} instead (the old id still works).',
  },
});
