/** Jest globalTeardown: removes the run's temporary directory (see temp-setup.mjs). */
import { chmodSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Gives back the owner's permissions a test took away, so the tree can be removed. */
function writable(dir) {
  try {
    chmodSync(dir, 0o700);
    for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) writable(join(dir, e.name));
  } catch {
    // Removal below reports what stays.
  }
}

export default function teardown() {
  const dir = process.env.PODGUARD_TEST_TMP;
  if (!dir) return;
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    writable(dir);
    rmSync(dir, { recursive: true, force: true });
  }
}
