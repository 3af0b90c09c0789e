#!/usr/bin/env node
import { runCli } from './cli.js'

// The CLI's entry point (package.json bin: dist/cli.js, the bundle of this file).
const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
})
process.exitCode = code
