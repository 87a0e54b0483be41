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
});
process.exitCode = code;
