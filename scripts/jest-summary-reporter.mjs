// Prints one plain closing line, "N passed, N failed, N skipped", after Jest's own summary, so
// that CI can read the outcome of the run without parsing Jest's report.
export default class SummaryReporter {
  onRunComplete(_contexts, results) {
    const {
      numPassedTests,
      numFailedTests,
      numPendingTests,
      numTodoTests,
      numRuntimeErrorTestSuites,
    } = results
    const failed = numFailedTests + numRuntimeErrorTestSuites
    process.stdout.write(
      `\n${numPassedTests} passed, ${failed} failed, ${numPendingTests + numTodoTests} skipped\n`,
    )
  }
}
