// Writes the README's inputs and outputs tables from action.yml, between the markers
// <!-- inputs:start --> … <!-- inputs:end --> and <!-- outputs:start --> … <!-- outputs:end -->.
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

const readmeUrl = new URL('README.md', root)
let readme = await readFile(readmeUrl, 'utf8')
for (const [name, table] of [
  ['inputs', inputs],
  ['outputs', outputs],
]) {
  const pattern = new RegExp(`(<!-- ${name}:start -->)[\\s\\S]*?(<!-- ${name}:end -->)`)
  if (!pattern.test(readme)) throw new Error(`README.md has no <!-- ${name}:start --> marker`)
  readme = readme.replace(pattern, `$1\n${table}\n$2`)
}
// Formatted as `prettier --check` expects, so the generated README passes the format check.
const options = (await resolveConfig(readmeUrl.pathname)) ?? {}
await writeFile(readmeUrl, await format(readme, { ...options, parser: 'markdown' }))
