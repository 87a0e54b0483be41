/** `podguard` command-line entry: thin, everything lives in platform/cli. */
import { runCli } from '../platform/cli.js';

// `podguard scan --format sarif | head`: once the reader closes the pipe, the rest of the output
// has nowhere to go. Stop writing and end quietly instead of dying on an unhandled EPIPE.
let closed = false;
const quiet = (err: NodeJS.ErrnoException): void => {
  if (err.code !== 'EPIPE') throw err;
  closed = true;
};
process.stdout.on('error', quiet);
process.stderr.on('error', quiet);
const write = (stream: NodeJS.WriteStream) => (t: string) => void (closed || stream.write(t));

const code = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: write(process.stdout),
  stderr: write(process.stderr),
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
