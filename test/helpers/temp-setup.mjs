/**
 * Jest globalSetup: every test's temporary files go under one directory made for this run
 * (TMPDIR, which os.tmpdir(), git and the node children the tests start all read), and
 * temp-teardown.mjs removes it when the run ends, so a run leaves nothing behind in /tmp.
 */
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'podguard-tests-'));
  // Traversable (not listable) by others: a test that drops root rights still reaches its own
  // directory inside, which stays private to it as mkdtemp made it.
  chmodSync(dir, 0o711);
  process.env.PODGUARD_TEST_TMP = dir;
  process.env.TMPDIR = dir;
}
