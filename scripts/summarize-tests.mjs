#!/usr/bin/env node
// Reads vitest's JSON report and prints the closing line CI reads: "N passed, N failed, N skipped".
// Build, lint and type-check failures count as failed tests; a missing report is a failure too.
import { existsSync, readFileSync } from 'node:fs';

const [reportPath, staticFailedText = '0', vitestStatusText = '0'] = process.argv.slice(2);
const staticFailed = Number(staticFailedText);
let passed = 0;
let failed = staticFailed;
let skipped = 0;

if (!reportPath || !existsSync(reportPath)) {
  console.log('The test runner wrote no report.');
  failed += 1;
} else {
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  passed = report.numPassedTests;
  failed += report.numFailedTests;
  skipped = report.numPendingTests + report.numTodoTests;
  if (report.numFailedTestSuites > 0 && report.numFailedTests === 0) failed += report.numFailedTestSuites;
  for (const file of report.testResults) {
    for (const test of file.assertionResults) {
      if (test.status === 'failed') console.log(`FAILED  ${test.fullName}`);
    }
  }
}
if (Number(vitestStatusText) !== 0 && failed === 0) failed = 1;
if (passed === 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 ? 0 : 1);
