// Fails when the committed dist/ bundle or the README's generated tables differ from what the
// source produces: rebuilds both, then asks git whether anything changed.
import { execFileSync } from 'node:child_process'

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' })
run('node', ['scripts/bundle.mjs'])
run('node', ['scripts/gen-readme-tables.mjs'])
const changed = execFileSync('git', ['status', '--porcelain', '--', 'dist', 'README.md'], {
  encoding: 'utf8',
})
if (changed.trim()) {
  process.stderr.write(
    `Generated files are stale; run "npm run bundle && npm run docs" and commit:\n${changed}`,
  )
  process.exit(1)
}
process.stdout.write('dist/ and the README tables match the source.\n')
