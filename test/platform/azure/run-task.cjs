// Runs the bundled task (task/dist/index.js) as the agent would: inputs as INPUT_* and variables
// as environment variables. The test writes a small file that calls run(scenario) and hands that
// file to MockTestRunner (jest's process.env does not reach the child process).
/* global __dirname, exports */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS file run by plain node */
const { TaskMockRunner } = require('azure-pipelines-task-lib/mock-run');
const path = require('node:path');

/** Sets the scenario's inputs and variables, then runs the task bundle. */
exports.run = function run(scenario) {
  const tmr = new TaskMockRunner(path.join(__dirname, '..', '..', '..', 'task', 'dist', 'index.js'));
  for (const [name, value] of Object.entries(scenario.inputs || {})) tmr.setInput(name, value);
  for (const [name, value] of Object.entries(scenario.variables || {})) {
    process.env[name.replace(/\./g, '_').toUpperCase()] = value;
  }
  // The bundle carries its own task library, so nothing is mocked: this is the real task.
  tmr.run(true);
};
