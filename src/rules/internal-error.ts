import { systemRule } from '../rule.js';

/** Engine-produced: a rule crashed on one document; every other finding stands. */
export const rule = systemRule({
  id: 'internal-error',
  title: 'podguard internal error',
  level: 'error',
  precision: 'very-high',
  description: 'A podguard rule failed on this document. The other rules and documents were still checked.',
  why: 'A crash must not hide results: the document the rule failed on is reported so it is not assumed clean.',
  fix: 'Please report the message with the document (secrets removed) at the podguard issue tracker. To unblock a build meanwhile:\n\n```yaml\n# .podguard.yml\nrules:\n  internal-error: warning\n```',
  tags: ['correctness'],
  kinds: ['kubernetes', 'compose', 'aci', 'dockerfile'],
  messages: {
    rule: 'Rule {rule} failed on this document ({error}); its results for this document are incomplete.',
    parser: 'The parser failed on this file ({error}); it was not checked.',
  },
});
