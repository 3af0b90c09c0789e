// Writes the README's generated parts: the inputs and outputs tables from action.yml, and the
// example comment, the output of the README's own demo command (the bundled CLI on the archives
// in examples/), between the markers <!-- NAME:start --> … <!-- NAME:end -->.
import { spawnSync } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { format, resolveConfig } from 'prettier'
import { parse } from 'yaml'

const root = new URL('../', import.meta.url)
const action = parse(await readFile(new URL('action.yml', root), 'utf8'))
const cell = (text) =>
  String(text ?? '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\|/g, '\\|')

const inputs = [
  '| Input | Required | Default | Description |',
  '| --- | --- | --- | --- |',
  ...Object.entries(action.inputs).map(
    ([name, i]) =>
      `| \`${name}\` | ${i.required ? 'yes' : 'no'} | ${i.default === undefined || i.default === '' ? '' : `\`${cell(i.default)}\``} | ${cell(i.description)} |`,
  ),
].join('\n')
const outputs = [
  '| Output | Description |',
  '| --- | --- |',
  ...Object.entries(action.outputs).map(([name, o]) => `| \`${name}\` | ${cell(o.description)} |`),
].join('\n')

// The example comment is the output of exactly the command the README's "Try it" block shows
// (between <!-- demo-command:start/end -->), run as written: a change to either shows here.
const readmeUrl = new URL('README.md', root)
let readme = await readFile(readmeUrl, 'utf8')
const command = demoCommand(readme)
const [, script, ...args] = command.split(/\s+/)
const demo = spawnSync(process.execPath, [script, ...args], {
  cwd: new URL('.', root).pathname,
  encoding: 'utf8',
})
if (demo.status !== 0 && demo.status !== 1)
  throw new Error(
    `the README's demo command failed (exit ${demo.status}): ${command}\n${demo.stderr}`,
  )
const example = demo.stdout
  .trimEnd()
  .split('\n')
  .map((line) => (line ? `> ${line}` : '>'))
  .join('\n')

for (const [name, table] of [
  ['inputs', inputs],
  ['outputs', outputs],
  ['example', example],
]) {
  const pattern = new RegExp(`(<!-- ${name}:start -->)[\\s\\S]*?(<!-- ${name}:end -->)`)
  if (!pattern.test(readme)) throw new Error(`README.md has no <!-- ${name}:start --> marker`)
  readme = readme.replace(pattern, (_m, start, end) => `${start}\n${table}\n${end}`)
}
// Formatted as `prettier --check` expects, so the generated README passes the format check.
const options = (await resolveConfig(readmeUrl.pathname)) ?? {}
await writeFile(readmeUrl, await format(readme, { ...options, parser: 'markdown' }))

/**
 * The one command between the demo-command markers, fenced as sh. It must run the bundled CLI
 * with plain words only (no quotes, variables or pipes), so splitting it on spaces gives the
 * arguments a shell would pass.
 */
function demoCommand(text) {
  const block = /<!-- demo-command:start -->([\s\S]*?)<!-- demo-command:end -->/.exec(text)
  if (!block) throw new Error('README.md has no <!-- demo-command:start --> marker')
  const lines = block[1].split('\n').filter((line) => line.trim() && !line.startsWith('```'))
  if (lines.length !== 1) throw new Error(`the README's demo block must hold one command line`)
  const line = lines[0].trim()
  if (!/^node dist\/cli\.js( [A-Za-z0-9_.:%/=-]+)+$/.test(line))
    throw new Error(
      `the README's demo command must be "node dist/cli.js …" in plain words: ${line}`,
    )
  if (!/ --format markdown( |$)/.test(line))
    throw new Error(`the README's demo command must print the comment: add --format markdown`)
  return line
}
