// node scripts/bench-rss.mjs ENTRY [ARGS...]: runs the ES module ENTRY (dist/cli.js) in this
// process as `node ENTRY ARGS...` would, and at exit prints its peak resident set size to stderr:
// "bench-rss: maxRSS <KiB> KiB". The exit code stays the entry's. Used by scripts/bench-registry.mjs.
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const [entry, ...args] = process.argv.slice(2)
if (!entry) {
  console.error('usage: node scripts/bench-rss.mjs ENTRY [ARGS...]')
  process.exit(2)
}
const file = resolve(entry)
process.argv = [process.argv[0], file, ...args]
process.on('exit', () => {
  process.stderr.write(`bench-rss: maxRSS ${process.resourceUsage().maxRSS} KiB\n`)
})
await import(pathToFileURL(file).href)
