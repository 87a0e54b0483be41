import { systemRule } from '../rule.js';

/** Engine-produced: a file that looked like ours was skipped (size, binary, link) or mis-encoded. */
export const rule = systemRule({
  id: 'file-error',
  title: 'File skipped or not readable as text',
  level: 'warning',
  precision: 'very-high',
  description:
    'A file that podguard would check was skipped (too large, binary, unreadable, a link out of the workspace) or is not valid UTF-8.',
  why: 'A skipped file is not checked. podguard says so instead of passing it silently, so a gate cannot be bypassed by a file it could not read.',
  fix: 'Save the file as UTF-8, keep manifests under the size limit (`maxFileBytes` in `.podguard.yml`), and replace links that leave the repository with real files:\n\n```yaml\n# .podguard.yml\nmaxFileBytes: 10485760\n```',
  tags: ['correctness'],
  kinds: ['kubernetes', 'compose', 'aci', 'dockerfile'],
  messages: {
    skipped: 'This file was not scanned: {reason}.',
    encoding: 'This file is not valid UTF-8 (first bad byte on line {line}); it was scanned with the bad bytes replaced.',
  },
});
