/** `podguard` command-line entry: thin, everything lives in platform/cli. */
import { runCli } from '../platform/cli.js';

const code = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTTY: process.stdout.isTTY === true,
  readStdin: async () => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of process.stdin) {
      size += (chunk as Buffer).length;
      // The engine's maxFileBytes check reports an oversized stream; stop reading well past it.
      if (size > 256 * 1024 * 1024) break;
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  },
});
process.exitCode = code;
