import { systemRule } from '../rule.js';

/** Engine-produced: a suppression podguard cannot understand, so it does nothing. */
export const rule = systemRule({
  id: 'invalid-suppression',
  title: 'Invalid suppression',
  level: 'warning',
  precision: 'very-high',
  description: 'A suppression names an unknown rule or container, has a malformed until= date, or is written where it cannot work.',
  why: 'A typo in a suppression must not pass silently: the author believes a finding is handled, and a mistyped rule id or date would either hide nothing or hide the wrong thing.',
  fix: 'Write `<rule-id>[,<rule-id>] [until=YYYY-MM-DD] -- <reason>` with ids from `podguard rules`:\n\n```yaml\nmetadata:\n  annotations:\n    podguard.dev/ignore.log-shipper: "privileged-container -- reads host logs (SEC-42)"\n```',
  tags: ['suppression'],
  kinds: ['kubernetes', 'compose', 'aci', 'dockerfile'],
  messages: {
    unknownRule: 'This {form} names "{rule}", which is not a podguard rule{hint} (see podguard rules).',
    badDate: 'This {form} has until={value}, which is not a date: write until=YYYY-MM-DD. It has no effect until fixed.',
    badToken:
      'This {form} has "{token}", which is neither a rule id nor until=YYYY-MM-DD{hint} (the reason goes after " -- "). It has no effect until fixed.',
    noRules: 'This {form} names no rule: write "<rule-id> -- <reason>". It has no effect until fixed.',
    unknownContainer: 'This {form} names container "{container}", but {object} has no container of that name.',
    trailingDockerfile:
      'Dockerfiles have no end-of-line comments (the text belongs to the instruction): put the podguard-ignore comment on its own line above the instruction.',
  },
});
