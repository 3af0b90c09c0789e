// npm run bench: timings as ratios against baselines measured in the same run, interleaved,
// medians of several rounds (these machines are noisy). Needs scripts/testbed.sh up.
//
//   1. verdict:  the action (node dist/index.js, as the runner runs it) comparing two local
//                images of ~80 layers on the overlay2 engine, against the docker CLI calls a
//                user would make instead (docker image inspect + docker history of both).
//                Target: at most 3x.
//   2. load:     loading the bundle (every chunk) against an empty Node start. Target: at most 5x.
//   3. registry: comparing two ~1.5 GB images in the local registry without an engine, against
//                docker pull + docker history of both, and peak memory against tiny images
//                (scripts/bench-registry.mjs; skipped with --no-registry).
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 11)
const HOST = process.env.ISG_CLASSIC_HOST ?? 'unix:///var/run/docker.sock'
const root = new URL('..', import.meta.url).pathname
const env = { ...process.env, DOCKER_HOST: HOST, DOCKER_BUILDKIT: '0' }

function time(cmd, args, extraEnv = {}) {
  const start = process.hrtime.bigint()
  const r = spawnSync(cmd, args, {
    env: { ...env, ...extraEnv },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (r.status !== 0 && !extraEnv.BENCH_ALLOW_FAIL)
    throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`)
  return ms
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/** Builds bench/app:base and bench/app:pr, ~80 layers each, unless the engine has them. */
function ensureImages() {
  const have = spawnSync('docker', ['image', 'inspect', 'isg-bench/app:base', 'isg-bench/app:pr'], {
    env,
    stdio: 'ignore',
  })
  if (have.status === 0) return
  execFileSync('bash', [join(root, 'scripts/build-fixtures.sh')], { env, stdio: 'inherit' })
  const dir = mkdtempSync(join(tmpdir(), 'isg-bench-'))
  for (const [tag, changed] of [
    ['base', -1],
    ['pr', 40],
  ]) {
    const steps = Array.from(
      { length: 78 },
      (_, i) =>
        `RUN mkdir -p /data && head -c ${i === changed ? 900000 : 1000 * (i + 1)} /dev/zero > /data/step-${i}`,
    )
    writeFileSync(
      join(dir, `Dockerfile.${tag}`),
      ['FROM isg-fixture/busybox:1', ...steps, 'CMD ["sh"]'].join('\n'),
    )
    process.stderr.write(`building isg-bench/app:${tag} (80 layers, classic builder)...\n`)
    execFileSync(
      'docker',
      [
        'build',
        '-q',
        '--network',
        'host',
        '-t',
        `isg-bench/app:${tag}`,
        '-f',
        join(dir, `Dockerfile.${tag}`),
        dir,
      ],
      { env, stdio: ['ignore', 'ignore', 'inherit'] },
    )
  }
}

function actionEnv() {
  const dir = mkdtempSync(join(tmpdir(), 'isg-bench-run-'))
  const event = join(dir, 'event.json')
  writeFileSync(event, JSON.stringify({ pull_request: { number: 1 } }))
  writeFileSync(join(dir, 'out'), '')
  writeFileSync(join(dir, 'summary'), '')
  return {
    'INPUT_BASE-IMAGE': 'docker-daemon:isg-bench/app:base',
    'INPUT_HEAD-IMAGE': 'docker-daemon:isg-bench/app:pr',
    'INPUT_MAX-INCREASE': '50%',
    INPUT_COMMENT: 'false',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: event,
    GITHUB_REPOSITORY: 'bench/bench',
    GITHUB_OUTPUT: join(dir, 'out'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    RUNNER_TEMP: dir,
  }
}

function row(name, ours, baseline, target) {
  const ratio = ours / baseline
  const verdict = ratio <= target ? 'ok' : 'OVER TARGET'
  console.log(
    `${name.padEnd(34)} ${ours.toFixed(0).padStart(7)} ms ${baseline.toFixed(0).padStart(7)} ms ${ratio.toFixed(2).padStart(6)}x  (target <= ${target}x) ${verdict}`,
  )
  return ratio <= target
}

ensureImages()
const runEnv = actionEnv()
const chunks = readdirSync(join(root, 'dist/chunks')).filter((f) => f.endsWith('.js'))
const loadAll =
  `await import(${JSON.stringify(join(root, 'dist/index.js'))}).catch(() => {});` +
  chunks.map((c) => `await import(${JSON.stringify(join(root, 'dist/chunks', c))});`).join('')
const samples = { action: [], cli: [], load: [], empty: [] }
time('node', [join(root, 'dist/index.js')], runEnv) // warm the page cache once
for (let round = 0; round < ROUNDS; round++) {
  samples.action.push(time('node', [join(root, 'dist/index.js')], runEnv))
  samples.cli.push(
    time('docker', ['image', 'inspect', 'isg-bench/app:base', 'isg-bench/app:pr']) +
      time('docker', ['history', '--no-trunc', 'isg-bench/app:base']) +
      time('docker', ['history', '--no-trunc', 'isg-bench/app:pr']),
  )
  samples.load.push(time('node', ['--input-type=module', '-e', loadAll], { BENCH_ALLOW_FAIL: '1' }))
  samples.empty.push(time('node', ['-e', '']))
}
console.log(
  `image-size-gate bench: medians of ${ROUNDS} interleaved rounds, ${new Date().toISOString()}`,
)
console.log(
  `${'measure'.padEnd(34)} ${'ours'.padStart(10)} ${'baseline'.padStart(10)} ${'ratio'.padStart(7)}`,
)
const ok = [
  row('verdict, 2 x 80 layers (overlay2)', median(samples.action), median(samples.cli), 3),
  row('bundle load vs node -e ""', median(samples.load), median(samples.empty), 5),
]
if (!process.argv.includes('--no-registry')) {
  const { benchRegistry } = await import('./bench-registry.mjs')
  ok.push(...(await benchRegistry({ row, time, median, root, env })))
}
process.exitCode = ok.every(Boolean) ? 0 : 1
