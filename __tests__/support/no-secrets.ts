import { expect } from '@jest/globals'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { AUTH_PASS } from './engines.js'
import { FAKE_TOKENS } from './fake-github.js'
import type { FakeGitHub } from './fake-github.js'
import type { ActionResult } from './run-action.js'

/**
 * Tokens and passwords never appear in what a run leaves behind (issue 10, item 8): its stdout
 * and stderr, the job summary, the outputs, the files the outputs point at (the JSON report),
 * and every body the fake GitHub received (comments, check runs). `::add-mask::` lines are the
 * one place a secret may be named: they tell the runner what to mask.
 */

/** Every token the fake GitHub knows and the test registry's password. */
export const KNOWN_SECRETS: readonly string[] = [...Object.values(FAKE_TOKENS), AUTH_PASS]

export function expectNoSecrets(
  run: ActionResult,
  fake?: FakeGitHub,
  secrets: readonly string[] = KNOWN_SECRETS,
): void {
  const stdout = run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n')
  const places: Record<string, string> = {
    stdout,
    stderr: run.stderr,
    summary: run.summary,
    outputs: JSON.stringify(run.outputs),
    'report file': readIfFile(run.outputs['report-path']),
  }
  if (fake) {
    places['bodies sent to GitHub'] = JSON.stringify(fake.state.requests.map((r) => r.body))
    places['comments on GitHub'] = JSON.stringify(fake.state.comments.map((c) => c.body))
  }
  const leaks = Object.entries(places).flatMap(([place, text]) =>
    secrets.filter((secret) => text.includes(secret)).map((secret) => `${place}: ${secret}`),
  )
  expect(leaks).toEqual([])
}

function readIfFile(path: string | undefined): string {
  if (!path) return ''
  try {
    if (statSync(path).isDirectory()) {
      return readdirSync(path)
        .map((name) => readIfFile(join(path, name)))
        .join('\n')
    }
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}
