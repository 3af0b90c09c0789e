import { expect } from '@jest/globals'
import type { ActionResult } from '../support/run-action.js'

/** A V8 stack frame: `    at fn (file:///…/x.js:1:2)` or `    at … (node:internal/…)`. */
const STACK_LINE = /^\s+at .+(:\d+:\d+\)?|\(node:.+\))$/m

/** Everything a reader needs when an expectation on a run fails. */
export const describeRun = (run: ActionResult) =>
  `exit ${run.code} after ${run.ms} ms\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`

/** The exit code, with the run's logs in the failure message. */
export function expectExit(run: ActionResult, code: number): void {
  if (run.code !== code) throw new Error(`expected exit ${code}; ${describeRun(run)}`)
}

/** Also inside annotations, whose newlines the runner's command format escapes as %0A. */
export function expectNoStackTrace(run: ActionResult): void {
  const text = `${run.stdout.replace(/%0A/g, '\n')}\n${run.stderr}`
  expect(text).not.toMatch(STACK_LINE)
  expect(text).not.toMatch(/\b(TypeError|ReferenceError|SyntaxError|ERR_[A-Z_]+)\b/)
}
