import { systemRule } from '../rule.js';

/** Engine-produced: a suppression's `until=` date has passed. */
export const rule = systemRule({
  id: 'expired-suppression',
  title: 'Expired suppression',
  level: 'warning',
  precision: 'very-high',
  description: 'A suppression with until=YYYY-MM-DD is past its date: it no longer suppresses anything.',
  why: 'Temporary exceptions ("until the vendor ships a non-root image") are only safe when they end. Past its date the suppression stops working, the findings it covered are reported again, and this finding says why.',
  fix: 'Fix the findings and delete the suppression, or renew it with a new date and an up-to-date reason:\n\n```yaml\n# podguard-ignore run-as-root until=2027-09-30 -- vendor v2 slipped to Q3 (TICKET-123)\n```',
  tags: ['suppression'],
  kinds: ['kubernetes', 'compose', 'aci', 'dockerfile'],
  messages: {
    expired:
      'This {form} for {rules} expired on {until}, so the findings it covered are reported again: fix them, or renew it with a new date and reason.',
  },
});
