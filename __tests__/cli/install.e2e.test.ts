import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readlinkSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { ROOT } from '../support/engines.js'
import { ensureBundle } from '../support/run-action.js'

/**
 * The package as users get it: `npm pack`, then `npm install -g` of the tarball into an empty
 * prefix, then the installed `image-size-gate` command, found through PATH, on the example
 * archives. Offline with an empty npm cache: the bundle has every dependency inlined, so an
 * install fetches nothing. Runs on the Node that runs Jest (both passes of `npm run ci`): that
 * Node is first in PATH, so npm and the command's `#!/usr/bin/env node` use it too.
 */

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string
  version: string
  bin: Record<string, string>
}
const EXAMPLES = join(ROOT, 'examples')
const DEMO = [
  'compare',
  `docker-archive:${EXAMPLES}/base.tar`,
  `docker-archive:${EXAMPLES}/pr.tar`,
  '--max-increase',
  '10%',
]

let dir: string
let tarball: string
let packed: string[]
let prefix: string

/** A clean shell: this Node first in PATH (npm is found after it); npm offline, its cache empty. */
function env(path: string[] = []): NodeJS.ProcessEnv {
  return {
    PATH: [...path, dirname(process.execPath), process.env.PATH].join(':'),
    HOME: dir,
    LANG: 'C.UTF-8',
    npm_config_cache: join(dir, 'npm-cache'),
    npm_config_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  }
}

function run(command: string, args: string[], options: { cwd?: string; path?: string[] } = {}) {
  const child = spawnSync(command, args, {
    cwd: options.cwd ?? dir,
    env: env(options.path),
    encoding: 'utf8',
    timeout: 90_000,
  })
  const result = { code: child.status, stdout: child.stdout, stderr: child.stderr }
  return { ...result, context: JSON.stringify({ command, args, ...result }, null, 2) }
}

/** The installed command, called by name as a user types it. */
const installed = (args: string[]) => run('image-size-gate', args, { path: [join(prefix, 'bin')] })

beforeAll(async () => {
  await ensureBundle()
  dir = await mkdtemp(join(tmpdir(), 'isg-cli-install-'))
  const pack = run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT })
  expect([pack.code, pack.context]).toEqual([0, pack.context])
  const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[]
  tarball = join(dir, info.filename)
  packed = info.files.map((f) => f.path)
  prefix = join(dir, 'prefix')
  const install = run('npm', ['install', '--global', '--prefix', prefix, tarball])
  expect([install.code, install.context]).toEqual([0, install.context])
}, 180_000)

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('npm pack: what the package ships', () => {
  test('the bundle, action.yml, docs, README, LICENSE and package.json; no source or tests', () => {
    expect(
      packed.filter(
        (p) => !/^(dist|docs)\/|^(action\.yml|README\.md|LICENSE|package\.json)$/.test(p),
      ),
    ).toEqual([])
    expect(packed).toEqual(
      expect.arrayContaining([
        'dist/cli.js',
        'dist/index.js',
        'dist/licenses.txt',
        'action.yml',
        'LICENSE',
      ]),
    )
  })

  test('the bin is dist/cli.js, which starts with its shebang', () => {
    expect(pkg.bin).toEqual({ 'image-size-gate': 'dist/cli.js' })
    expect(readFileSync(join(ROOT, 'dist/cli.js'), 'utf8').split('\n')[0]).toBe(
      '#!/usr/bin/env node',
    )
  })
})

describe('npm install --global of the tarball into an empty prefix', () => {
  test('pulls nothing: no dependency to install, no node_modules in the package', () => {
    const home = join(prefix, 'lib', 'node_modules', pkg.name)
    const installedPkg = JSON.parse(readFileSync(join(home, 'package.json'), 'utf8')) as {
      dependencies?: object
    }
    expect(installedPkg.dependencies ?? {}).toEqual({})
    expect(existsSync(join(home, 'node_modules'))).toBe(false)
    expect(readlinkSync(join(prefix, 'bin', 'image-size-gate'))).toBe(
      `../lib/node_modules/${pkg.name}/dist/cli.js`,
    )
  })

  test('the command runs on the Node of this test run, through its shebang', () => {
    const node = run('node', ['--version'], { path: [join(prefix, 'bin')] })
    expect(node.stdout.trim()).toBe(process.version)
    const version = installed(['--version'])
    expect([version.code, version.stdout, version.stderr]).toEqual([0, `${pkg.version}\n`, ''])
  })

  test('the README demo on the example archives: over budget, exit 1', () => {
    const demo = installed(DEMO)
    expect([demo.code, demo.context]).toEqual([1, demo.context])
    expect(demo.stdout.split('\n')[0]).toBe('image-size-gate: FAIL')
    expect(demo.stdout).toContain('Change +900 kB (+38%), basis: uncompressed')
    expect(demo.stdout).toMatch(/FAIL max-increase +limit \+10%, actual \+38%/)
    expect(demo.stderr).not.toMatch(/Warning|\n\s+at /)
  })

  test('within budget, as JSON: exit 0 and the versioned report', () => {
    const json = installed([...DEMO.slice(0, 3), '--max-increase', '50%', '--format', 'json'])
    expect([json.code, json.context]).toEqual([0, json.context])
    const report = JSON.parse(json.stdout) as {
      schemaVersion: number
      tool: { version: string }
      verdict: string
      entries: { head: { layerCount: number } }[]
    }
    expect(report).toMatchObject({
      schemaVersion: 1,
      tool: { version: pkg.version },
      verdict: 'pass',
    })
    expect(report.entries[0].head.layerCount).toBe(8)
  })

  test('a mistyped option: exit 2, the tool own sentence and a pointer to --help', () => {
    const typo = installed([...DEMO.slice(0, 3), '--max-increse', '10%'])
    expect(typo).toMatchObject({
      code: 2,
      stdout: '',
      stderr:
        'image-size-gate: unknown option --max-increse; did you mean --max-increase?\n' +
        'Run "image-size-gate --help" for the options.\n',
    })
  })

  test('an image that cannot be read: exit 3, one line', () => {
    const missing = installed(['compare', 'none', `docker-archive:${dir}/nowhere.tar`])
    expect(missing).toMatchObject({
      code: 3,
      stdout: '',
      stderr: `image-size-gate: The PR image docker-archive:${dir}/nowhere.tar: the file ${dir}/nowhere.tar does not exist\n`,
    })
  })
})

describe('npx', () => {
  test('npm exec --package=<tarball> image-size-gate runs the demo (what npx does)', () => {
    const npx = run('npm', [
      'exec',
      '--yes',
      `--package=${tarball}`,
      '--',
      'image-size-gate',
      ...DEMO,
    ])
    expect([npx.code, npx.context]).toEqual([1, npx.context])
    expect(npx.stdout.split('\n')[0]).toBe('image-size-gate: FAIL')
  })
})
