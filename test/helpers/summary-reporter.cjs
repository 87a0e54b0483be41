// Prints the plain closing line CI reads: "tests: N passed, N failed" (jest has no such line).
// A suite that cannot even run (a compile error) counts as one failure.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line = `tests: ${results.numPassedTests} passed, ${failed} failed`;
    // Printed at exit so it follows jest's own summary and is the last line.
    process.once('exit', () => process.stdout.write(`\n${line}\n`));
  }
}
module.exports = SummaryReporter;
