import { beforeAll, describe, expect, test } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { format, resolveConfig } from 'prettier'
import { ROOT } from '../support/engines.js'
import { ensureBundle } from '../support/run-action.js'

/**
 * The README's example comment is what its "Try it" command prints, run in a shell exactly as
 * the README shows it (issue 6, item 7): no flag added or left out by a generator.
 */

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')

/** The text between <!-- NAME:start --> and <!-- NAME:end -->, without code fences. */
function between(name: string): string {
  const block = new RegExp(`<!-- ${name}:start -->\\n([\\s\\S]*?)<!-- ${name}:end -->`).exec(readme)
  if (!block) throw new Error(`README.md has no <!-- ${name}:start/end --> markers`)
  return block[1]
    .split('\n')
    .filter((line) => !line.startsWith('```'))
    .join('\n')
    .trim()
}

beforeAll(() => ensureBundle())

describe('README demo', () => {
  const command = between('demo-command')

  test('the "Try it" block is one command that runs the bundled CLI', () => {
    expect(command.split('\n')).toHaveLength(1)
    expect(command).toMatch(/^node dist\/cli\.js compare /)
  })

  test('run as written, it prints the example comment and exits 1, as the README says', async () => {
    const run = spawnSync('sh', ['-c', command], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` },
    })
    expect(run.stderr).toBe('')
    expect(run.status).toBe(1)
    expect(readme).toContain('exits 1, since the PR image grew by more than 10%')
    const quoted = run.stdout
      .trimEnd()
      .split('\n')
      .map((line) => (line ? `> ${line}` : '>'))
      .join('\n')
    const options = (await resolveConfig(join(ROOT, 'README.md'))) ?? {}
    const formatted = await format(quoted, { ...options, parser: 'markdown' })
    expect(between('example')).toBe(formatted.trim())
  })
})
