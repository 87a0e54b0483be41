/** Azure Pipelines task entry: thin, everything lives in platform/azure. */
import { runAzure } from '../platform/azure.js';

async function main(): Promise<void> {
  // Loaded only here: importing the task library prints agent debug lines.
  const tl = await import('azure-pipelines-task-lib/task.js');
  await runAzure(tl, { stdout: (t) => process.stdout.write(t), cwd: process.cwd() });
}

// The bundle is CommonJS (the agent runs it with a plain `node`), so no top-level await.
main().catch((err: unknown) => {
  process.stderr.write(`podguard: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
