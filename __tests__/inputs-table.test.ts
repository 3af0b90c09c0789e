import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { CLI_OPTIONS, USAGE } from '../src/cli/cli.js'
import { INPUT_NAMES, INPUTS, inputNames, type InputSpec } from '../src/inputs-table.js'
import { ROOT } from './support/engines.js'

/**
 * The inputs table (src/inputs-table.ts) is the one description of the inputs; action.yml (read
 * by GitHub), the CLI's --help and the README's inputs table (generated from action.yml by
 * `npm run docs`) must say the same.
 */

interface YamlInput {
  description: string
  required: boolean
  default: string
}
const actionYml = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, YamlInput>
}
const spec = (name: string): InputSpec => (INPUTS as Record<string, InputSpec>)[name]
const actionNames = inputNames('action', 'both')

describe('action.yml agrees with the inputs table', () => {
  it('has the same inputs, in the same order', () => {
    expect(Object.keys(actionYml.inputs)).toEqual(actionNames)
  })

  it.each(actionNames)('%s: same default and description, not required', (name) => {
    const input = actionYml.inputs[name]
    expect(input).toEqual({
      description: spec(name).description,
      required: false,
      default: spec(name).default,
    })
  })
})

describe("the README's inputs table agrees with the inputs table", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const section = /<!-- inputs:start -->([\s\S]*?)<!-- inputs:end -->/.exec(readme)?.[1] ?? ''
  const rows = section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\) \| /)
        .map((cell) => cell.trim().replace(/\\\|/g, '|')),
    )

  it('has one row per action input, in order', () => {
    expect(rows.map((row) => row[0])).toEqual(actionNames.map((name) => `\`${name}\``))
  })

  it.each(actionNames)('%s: the row gives its default and description', (name) => {
    const row = rows.find((r) => r[0] === `\`${name}\``)
    const value = spec(name).default
    expect(row).toEqual([`\`${name}\``, 'no', value ? `\`${value}\`` : '', spec(name).description])
  })
})

describe('--help agrees with the inputs table', () => {
  const helpOptions = [...USAGE.matchAll(/(?<=^|\s)--([a-z][a-z0-9-]*)/g)].map((m) => m[1])

  it('lists every CLI option of the table once, and no other but --help and --version', () => {
    expect([...helpOptions].sort()).toEqual([...CLI_OPTIONS, 'help', 'version'].sort())
  })

  it.each(CLI_OPTIONS)('--%s shows its value name and its help', (name) => {
    const cli = spec(name).cli as { value: string; help?: string }
    expect(USAGE).toContain(`--${name} ${cli.value}`)
    if (cli.help) expect(USAGE).toMatch(new RegExp(`--${name} ${cli.value} +${escape(cli.help)}\n`))
  })

  it('takes the images as its positionals BASE and HEAD', () => {
    expect(spec('base-image').cli).toEqual({ positional: 'BASE' })
    expect(spec('head-image').cli).toEqual({ positional: 'HEAD' })
    expect(USAGE).toContain('compare BASE HEAD')
  })

  it('has a CLI form for every input of both front ends, none for the action-only ones', () => {
    for (const name of INPUT_NAMES) {
      const { scope, cli } = spec(name)
      expect([name, cli !== undefined]).toEqual([name, scope !== 'action'])
    }
  })
})

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
