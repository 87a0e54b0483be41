/** `podguard` command-line entry: thin, everything lives in platform/cli. */
import { runCli } from '../platform/cli.js';

const code = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTTY: process.stdout.isTTY === true,
});
process.exitCode = code;
