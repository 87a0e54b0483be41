import { systemRule } from '../rule.js';

/** Engine-produced: a file podguard should check could not be parsed. */
export const rule = systemRule({
  id: 'parse-error',
  title: 'File cannot be parsed',
  level: 'error',
  precision: 'very-high',
  description:
    'A manifest, compose or ACI file is not valid YAML (or is too deeply nested or alias-expanded to analyse), or a Dockerfile has an invalid escape directive or an unclosed here-document.',
  why: 'A file that does not parse cannot be checked, and it will not deploy either: kubectl and the API server reject it. An unanalysable file must never pass a security gate silently.',
  fix: 'Fix the syntax at the reported line. Validate locally with:\n\n```sh\nkubectl apply --dry-run=client -f <file>\n```',
  tags: ['correctness'],
  kinds: ['kubernetes', 'compose', 'aci', 'dockerfile'],
  messages: {
    syntax: 'This file could not be parsed: {message}. Nothing in it was checked.',
    dockerfile: 'This Dockerfile will not build as written: {message}. The rest of it was still checked.',
  },
});
