import { systemRule } from '../rule.js';

/** Engine-produced: a suppression must say why; without a reason it has no effect. */
export const rule = systemRule({
  id: 'suppression-without-reason',
  title: 'Suppression without a reason',
  level: 'warning',
  precision: 'very-high',
  description: 'A podguard-ignore comment or podguard.dev/ignore annotation gives no reason after `--`, so it suppresses nothing.',
  why: 'A suppression is a security exception that someone will have to review later. Without the reason, a reviewer cannot tell an accepted risk from a silenced warning, so podguard only honours suppressions that say why (turn this rule off to accept reasonless ones).',
  fix: 'Add the reason after ` -- `, and an expiry date when the exception is temporary:\n\n```yaml\n# podguard-ignore run-as-root until=2027-03-31 -- vendor image needs root until v2 (TICKET-123)\n```',
  tags: ['suppression'],
  kinds: ['kubernetes', 'compose', 'aci', 'dockerfile'],
  messages: {
    missing: 'This {form} for {rules} has no reason, so it has no effect: add " -- <why this is acceptable>".',
  },
});
