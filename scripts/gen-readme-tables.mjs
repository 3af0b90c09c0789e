// Writes the README's generated parts: the inputs and outputs tables from action.yml, and the
// example comment, rendered by the bundled CLI from the demo archives in examples/, between the
// markers <!-- NAME:start --> … <!-- NAME:end -->.
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

const demo = spawnSync(
  process.execPath,
  [
    'dist/cli.js',
    'compare',
    'docker-archive:examples/base.tar',
    'docker-archive:examples/pr.tar',
    '--max-increase',
    '10%',
    '--warn-increase',
    '5%',
    '--format',
    'markdown',
  ],
  { cwd: new URL('.', root).pathname, encoding: 'utf8' },
)
if (demo.status !== 1)
  throw new Error(`the demo should exceed its budget (exit 1); got ${demo.status}: ${demo.stderr}`)
const example = demo.stdout
  .trimEnd()
  .split('\n')
  .map((line) => (line ? `> ${line}` : '>'))
  .join('\n')

const readmeUrl = new URL('README.md', root)
let readme = await readFile(readmeUrl, 'utf8')
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
