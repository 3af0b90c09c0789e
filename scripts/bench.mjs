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
//   4. files:    issue 9's file analysis (scripts/bench.mjs --only-files runs just this part;
//                --no-files skips it). On the overlay2 engine and the loopback registry:
//                (a) a ~1.5 GB image (random, text and zero files) analysed from the engine
//                    against `docker save` of it to /dev/null: throughput ratio, target >= 0.8;
//                (b) the same image pushed to the registry (gzip) analysed from there against
//                    one `gzip -dc` of its distinct blobs: speed ratio, target >= 1.6x;
//                (c) an image of ~200,000 small files against `docker save` of it (>= 0.8);
//                (d) peak RSS of the analysis of (a) and (c): target <= 256 MB each.
//                The CLI is run with `--file-analysis true` when the build has that flag.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  closeSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
} from 'node:fs'
import { pipeline } from 'node:stream/promises'

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

// ---- 4. files: issue 9's file analysis, against `docker save` and `gzip -dc` in the same run
const FILES_ROUNDS = Number(process.env.BENCH_FILES_ROUNDS ?? 3)
const FILES_REGISTRY = process.env.BENCH_REGISTRY ?? '127.0.0.1:5000'
const FILES_BIG = 'isg-bench/files-big:1'
const FILES_MANY = 'isg-bench/files-many:1'
const FILES_BLOBS = join(tmpdir(), 'isg-bench-files-blobs')
const RSS_LIMIT_KIB = 256 * 1024
const FILES_DOCKERFILES = {
  // 1,500,000,000 bytes of content in five layers: incompressible, compressible text, zeros
  [FILES_BIG]: [
    'FROM isg-fixture/busybox:1',
    'RUN mkdir -p /big && head -c 350000000 /dev/urandom > /big/random-1.bin',
    'RUN head -c 350000000 /dev/urandom > /big/random-2.bin',
    "RUN yes 'GET /api/v1/items?page=42 200 1534 0.012s agent=bench' | head -c 350000000 > /big/access.log",
    'RUN head -c 200000000 /dev/zero > /big/zeros.img',
    'RUN head -c 250000000 /dev/urandom > /big/random-3.bin',
    'CMD ["sh"]',
  ],
  // 200 directories of 1,000 small files each
  [FILES_MANY]: [
    'FROM isg-fixture/busybox:1',
    'RUN d=0; while [ $d -lt 200 ]; do mkdir -p /many/d$d; i=0; while [ $i -lt 1000 ]; do echo "file $d/$i" > /many/d$d/f$i; i=$((i+1)); done; d=$((d+1)); done',
    'CMD ["sh"]',
  ],
}

const filesProgress = (message) => process.stderr.write(`bench-files: ${message}\n`)

/** Builds a bench image on the overlay2 engine unless it has it (the tag is the cache). */
function ensureFilesImage(tag) {
  const have = spawnSync('docker', ['image', 'inspect', tag], { env, stdio: 'ignore' })
  if (have.status === 0) return
  execFileSync('bash', [join(root, 'scripts/build-fixtures.sh')], { env, stdio: 'inherit' })
  const dir = mkdtempSync(join(tmpdir(), 'isg-bench-files-'))
  writeFileSync(join(dir, 'Dockerfile'), FILES_DOCKERFILES[tag].join('\n'))
  filesProgress(`building ${tag} (once; cached by its tag)...`)
  execFileSync('docker', ['build', '-q', '--network', 'host', '-t', tag, dir], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  rmSync(dir, { recursive: true, force: true })
}

/** `--file-analysis true` when this build of the CLI has the flag; nothing otherwise. */
function fileAnalysisFlag(cli) {
  const help = spawnSync('node', [cli, '--help'], { encoding: 'utf8' }).stdout ?? ''
  return help.includes('--file-analysis') ? ['--file-analysis', 'true'] : []
}

/** The CLI analysing one image (no baseline) under the RSS wrapper: ms, peak KiB, its report. */
function analyse(cli, flags, ref) {
  const args = [join(root, 'scripts/bench-rss.mjs'), cli, 'compare', 'none', ref]
  const start = process.hrtime.bigint()
  const r = spawnSync('node', [...args, '--format', 'json', ...flags], {
    env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  })
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`)
  const kib = Number(/bench-rss: maxRSS (\d+) KiB/.exec(r.stderr)?.[1])
  return { ms, kib, entry: JSON.parse(r.stdout).entries[0] }
}

/** `docker save TAG` streamed to /dev/null */
function saveToNull(tag) {
  const sink = openSync('/dev/null', 'w')
  try {
    const start = process.hrtime.bigint()
    const r = spawnSync('docker', ['save', tag], { env, stdio: ['ignore', sink, 'pipe'] })
    if (r.status !== 0) throw new Error(`docker save ${tag} failed: ${r.stderr}`)
    return Number(process.hrtime.bigint() - start) / 1e6
  } finally {
    closeSync(sink)
  }
}

const MANIFEST_ACCEPT = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
].join(', ')

/** Pushes the big image (gzip, by the engine) unless the registry has it; its blobs, on disk once. */
async function registryBlobs(tag) {
  const [repo, ref] = tag.split(':')
  const url = `http://${FILES_REGISTRY}/v2/${repo}/manifests/${ref}`
  let response = await fetch(url, { headers: { accept: MANIFEST_ACCEPT } })
  if (!response.ok) {
    filesProgress(`pushing ${tag} to ${FILES_REGISTRY} (once)...`)
    const target = `${FILES_REGISTRY}/${tag}`
    execFileSync('docker', ['tag', tag, target], { env })
    execFileSync('docker', ['push', '-q', target], { env, stdio: ['ignore', 'ignore', 'inherit'] })
    execFileSync('docker', ['rmi', target], { env, stdio: 'ignore' })
    response = await fetch(url, { headers: { accept: MANIFEST_ACCEPT } })
  }
  const manifest = await response.json()
  mkdirSync(FILES_BLOBS, { recursive: true })
  const files = []
  for (const digest of new Set(manifest.layers.map((l) => l.digest))) {
    const file = join(FILES_BLOBS, `${digest.slice(7)}.gz`)
    if (!existsSync(file)) {
      const blob = await fetch(`http://${FILES_REGISTRY}/v2/${repo}/blobs/${digest}`)
      await pipeline(blob.body, createWriteStream(`${file}.part`))
      renameSync(`${file}.part`, file)
    }
    files.push(file)
  }
  return files
}

/** A "higher is better" row: ratio = baseline time / our time. */
function filesRow(name, oursMs, baselineMs, target) {
  const ratio = baselineMs / oursMs
  const pass = ratio >= target
  console.log(
    `${name.padEnd(44)} ${oursMs.toFixed(0).padStart(7)} ms ${baselineMs.toFixed(0).padStart(7)} ms ${ratio.toFixed(2).padStart(6)}x  (target >= ${target}x) ${pass ? 'PASS' : 'FAIL'}`,
  )
  return pass
}

function rssRow(name, kib) {
  const pass = kib <= RSS_LIMIT_KIB
  console.log(
    `${name.padEnd(44)} ${(kib / 1024).toFixed(1).padStart(7)} MiB  (target <= ${RSS_LIMIT_KIB / 1024} MiB) ${pass ? 'PASS' : 'FAIL'}`,
  )
  return pass
}

/** What the CLI said about the image: its content total and, when analysed, the file figures */
function describeEntry(label, entry) {
  const files = entry.files
  const what = files
    ? `files: ${files.head.count} paths, ${files.head.bytes} bytes, ${files.head.reclaimableBytes} reclaimable`
    : 'no file analysis in this build (layer figures only)'
  console.log(`  ${label}: content ${entry.totals.headBytes} bytes; ${what}`)
}

async function benchFiles() {
  const cli = join(root, 'dist/cli.js')
  const flags = fileAnalysisFlag(cli)
  ensureFilesImage(FILES_BIG)
  ensureFilesImage(FILES_MANY)
  const blobs = await registryBlobs(FILES_BIG)
  const registryRef = `docker://${FILES_REGISTRY}/${FILES_BIG}`
  const s = {
    engine: [],
    save: [],
    registry: [],
    gunzip: [],
    many: [],
    saveMany: [],
    rss: [],
    rssMany: [],
    layersOnly: [],
  }
  const last = {}
  // Warm the page cache and the engine once, untimed
  saveToNull(FILES_BIG)
  analyse(cli, flags, `docker-daemon:${FILES_BIG}`)
  for (let round = 0; round < FILES_ROUNDS; round++) {
    const big = analyse(cli, flags, `docker-daemon:${FILES_BIG}`)
    s.engine.push(big.ms)
    s.rss.push(big.kib)
    s.save.push(saveToNull(FILES_BIG))
    const fromRegistry = analyse(cli, flags, registryRef)
    s.registry.push(fromRegistry.ms)
    s.rss.push(fromRegistry.kib)
    s.gunzip.push(time('gzip', ['-dc', ...blobs]))
    // Today's layer measuring from the registry, when the build can turn the analysis off
    if (flags.length > 0)
      s.layersOnly.push(analyse(cli, ['--file-analysis', 'false'], registryRef).ms)
    const many = analyse(cli, flags, `docker-daemon:${FILES_MANY}`)
    s.many.push(many.ms)
    s.rssMany.push(many.kib)
    s.saveMany.push(saveToNull(FILES_MANY))
    Object.assign(last, { big: big.entry, registry: fromRegistry.entry, many: many.entry })
    filesProgress(
      `round ${round + 1}/${FILES_ROUNDS}: engine ${big.ms.toFixed(0)} ms vs save ${s.save.at(-1).toFixed(0)} ms; registry ${fromRegistry.ms.toFixed(0)} ms vs gzip -dc ${s.gunzip.at(-1).toFixed(0)} ms; 200k files ${many.ms.toFixed(0)} ms vs save ${s.saveMany.at(-1).toFixed(0)} ms`,
    )
  }
  console.log(
    `files part: medians of ${FILES_ROUNDS} interleaved rounds; CLI flags: ${flags.join(' ') || '(none: this build has no --file-analysis flag)'}`,
  )
  describeEntry(FILES_BIG, last.big)
  describeEntry(`${FILES_BIG} from the registry`, last.registry)
  describeEntry(FILES_MANY, last.many)
  // The analysis must have seen every file of the 200,000 (plus busybox's), or its speed means nothing
  if (last.many.files && last.many.files.head.count < 200_000) {
    throw new Error(
      `${FILES_MANY}: the analysis saw ${last.many.files.head.count} files, not 200,000`,
    )
  }
  if (s.layersOnly.length > 0) {
    const without = median(s.layersOnly)
    console.log(
      `  for reference: from the registry with --file-analysis false ${without.toFixed(0)} ms = ${(median(s.gunzip) / without).toFixed(2)}x gzip -dc; the analysis costs ${((median(s.registry) / without - 1) * 100).toFixed(0)}% on top`,
    )
  }
  return [
    filesRow('(a) 1.5 GB from the engine vs docker save', median(s.engine), median(s.save), 0.8),
    filesRow('(b) 1.5 GB from the registry vs gzip -dc', median(s.registry), median(s.gunzip), 1.6),
    filesRow('(c) 200,000 files from the engine vs save', median(s.many), median(s.saveMany), 0.8),
    rssRow('(d) peak RSS, 1.5 GB image (max of rounds)', Math.max(...s.rss)),
    rssRow('(d) peak RSS, 200,000 files (max of rounds)', Math.max(...s.rssMany)),
  ]
}

if (process.argv.includes('--only-files')) {
  process.exitCode = (await benchFiles()).every(Boolean) ? 0 : 1
  process.exit()
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
if (!process.argv.includes('--no-files')) ok.push(...(await benchFiles()))
process.exitCode = ok.every(Boolean) ? 0 : 1
