// Part 3 of npm run bench (node scripts/bench.mjs --registry): the CLI comparing two ~1.5 GB
// images straight from the loopback registry (docker://, no engine, --size-basis compressed)
// against what a user would otherwise run: docker pull of both + docker history of both.
// Interleaved rounds (BENCH_REGISTRY_ROUNDS, default 3), medians. Targets: at least 20x faster
// than the pull baseline, and flat memory: the CLI's peak RSS on the big pair at most 1.5x its
// peak RSS on a pair of ~2 MB images.
//
// The images are made without an engine build: each layer is a tar of pseudo-random bytes
// (AES-CTR keystream, so poorly compressible and the same on every run), gzipped at level 1 with
// the Huffman-only strategy (6x faster than plain level 1 on such data, same size),
// streamed to a temp file while both digests are computed, then uploaded over the distribution
// API with its config and a Docker v2 manifest. Skipped when the registry already has the tags.
import { spawnSync } from 'node:child_process'
import { createCipheriv, createHash } from 'node:crypto'
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { constants, createGzip } from 'node:zlib'
import tar from 'tar-stream'

const REGISTRY = process.env.BENCH_REGISTRY ?? '127.0.0.1:5000'
const ROUNDS = Number(process.env.BENCH_REGISTRY_ROUNDS ?? 3)
const SPEED_TARGET = 1 / 20
const RSS_TARGET = 1.5
const MiB = 1024 * 1024
const MANIFEST_TYPE = 'application/vnd.docker.distribution.manifest.v2+json'
const OCI_MANIFEST_TYPE = 'application/vnd.oci.image.manifest.v1+json'
const CONFIG_TYPE = 'application/vnd.docker.container.image.v1+json'
const LAYER_TYPE = 'application/vnd.docker.image.rootfs.diff.tar.gzip'
const EPOCH = new Date('2024-01-01T00:00:00Z')

/** A layer: one file of `bytes` pseudo-random bytes; the same seed is the same blob. */
const layer = (seed, bytes) => ({ seed, bytes })
const shared = Array.from({ length: 5 }, (_, i) => layer(`big-${i}`, 250 * MiB))
const BIG = {
  repo: 'isg-bench/big',
  tags: {
    base: [...shared, layer('big-5-base', 250 * MiB)],
    pr: [...shared, layer('big-5-pr', 250 * MiB), layer('big-6-pr', 50 * MiB)],
  },
}
const SMALL = {
  repo: 'isg-bench/small',
  tags: {
    base: [layer('small-0', MiB), layer('small-1-base', MiB)],
    pr: [layer('small-0', MiB), layer('small-1-pr', MiB), layer('small-2-pr', MiB / 4)],
  },
}

const progress = (message) => process.stderr.write(`bench-registry: ${message}\n`)
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`
const registryUrl = (path) => `http://${REGISTRY}/v2/${path}`

async function drain(response) {
  await response.arrayBuffer()
  return response
}

async function hasManifest(repo, tag) {
  const response = await fetch(registryUrl(`${repo}/manifests/${tag}`), {
    method: 'HEAD',
    headers: { Accept: `${MANIFEST_TYPE}, ${OCI_MANIFEST_TYPE}` },
  })
  return response.ok
}

/** Sum of the manifest's layer sizes: the compressed total the CLI must report. */
async function layerBytes(repo, tag) {
  const response = await fetch(registryUrl(`${repo}/manifests/${tag}`), {
    headers: { Accept: `${MANIFEST_TYPE}, ${OCI_MANIFEST_TYPE}` },
  })
  if (!response.ok) throw new Error(`GET manifest ${repo}:${tag}: HTTP ${response.status}`)
  const manifest = await response.json()
  return manifest.layers.reduce((sum, l) => sum + l.size, 0)
}

/** Passes chunks through unchanged, hashing them. */
const tap = (hash) =>
  new Transform({
    transform(chunk, _encoding, done) {
      hash.update(chunk)
      done(null, chunk)
    },
  })

/**
 * Writes the layer as a gzipped tar to a file in `dir`, a MiB at a time: never held whole.
 * Returns { file, digest (of the blob), diffId (of the tar), size (of the blob) }.
 */
async function makeLayer(dir, { seed, bytes }) {
  const file = join(dir, `${seed}.tar.gz`)
  const diffHash = createHash('sha256')
  const blobHash = createHash('sha256')
  const key = createHash('sha256').update(seed).digest().subarray(0, 16)
  const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16))
  const zeros = Buffer.alloc(MiB)
  const pack = tar.pack()
  const fill = new Promise((resolve, reject) => {
    pack.entry({ name: 'bench/', type: 'directory', mode: 0o755, mtime: EPOCH })
    const entry = pack.entry(
      { name: `bench/${seed}.bin`, size: bytes, mode: 0o644, mtime: EPOCH },
      (error) => (error ? reject(error) : resolve(pack.finalize())),
    )
    let left = bytes
    const pump = () => {
      while (left > 0) {
        const n = Math.min(left, zeros.length)
        left -= n
        if (!entry.write(cipher.update(zeros.subarray(0, n)))) return void entry.once('drain', pump)
      }
      entry.end()
    }
    pump()
  })
  await Promise.all([
    fill,
    pipeline(
      Readable.from(pack),
      tap(diffHash),
      createGzip({ level: 1, strategy: constants.Z_HUFFMAN_ONLY }),
      tap(blobHash),
      createWriteStream(file),
    ),
  ])
  return {
    file,
    digest: `sha256:${blobHash.digest('hex')}`,
    diffId: `sha256:${diffHash.digest('hex')}`,
    size: statSync(file).size,
  }
}

/** Monolithic upload: POST for a session, then PUT ?digest= with the body streamed. */
async function uploadBlob(repo, digest, size, body) {
  const have = await fetch(registryUrl(`${repo}/blobs/${digest}`), { method: 'HEAD' })
  if (have.ok) return
  const start = await drain(await fetch(registryUrl(`${repo}/blobs/uploads/`), { method: 'POST' }))
  if (start.status !== 202) throw new Error(`POST blobs/uploads ${repo}: HTTP ${start.status}`)
  const url = new URL(start.headers.get('location'), `http://${REGISTRY}`)
  url.searchParams.set('digest', digest)
  await new Promise((resolve, reject) => {
    const put = request(
      url,
      {
        method: 'PUT',
        headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': size },
      },
      (response) => {
        let text = ''
        response.setEncoding('utf8')
        response.on('data', (chunk) => (text += chunk))
        response.on('end', () =>
          response.statusCode === 201
            ? resolve()
            : reject(new Error(`PUT blob ${digest}: HTTP ${response.statusCode} ${text}`)),
        )
      },
    )
    put.on('error', reject)
    pipeline(typeof body === 'string' ? createReadStream(body) : Readable.from([body]), put).catch(
      reject,
    )
  })
}

/** Creates every tag of `set` in the registry, generating each distinct layer once. */
async function createImages(set) {
  const dir = mkdtempSync(join(tmpdir(), 'isg-bench-registry-'))
  const started = Date.now()
  try {
    const distinct = [
      ...new Map(
        Object.values(set.tags)
          .flat()
          .map((l) => [l.seed, l]),
      ).values(),
    ]
    const made = new Map()
    // Two at a time: gzip runs on the thread pool, so both cores work.
    const queue = [...distinct]
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const t = Date.now()
        const blob = await makeLayer(dir, next)
        await uploadBlob(set.repo, blob.digest, blob.size, blob.file)
        rmSync(blob.file)
        made.set(next.seed, blob)
        progress(
          `${set.repo} layer ${next.seed}: ${mb(next.bytes)} of content, ${mb(blob.size)} gzipped, generated and uploaded in ${((Date.now() - t) / 1000).toFixed(1)} s`,
        )
      }
    }
    await Promise.all([worker(), worker()])
    for (const [tag, layers] of Object.entries(set.tags)) {
      const blobs = layers.map((l) => made.get(l.seed))
      const config = Buffer.from(
        JSON.stringify({
          architecture: 'amd64',
          os: 'linux',
          created: EPOCH.toISOString(),
          config: { Cmd: ['sh'] },
          rootfs: { type: 'layers', diff_ids: blobs.map((b) => b.diffId) },
          history: layers.map((l) => ({
            created: EPOCH.toISOString(),
            created_by: `/bin/sh -c head -c ${l.bytes} /dev/urandom > /bench/${l.seed}.bin # bench`,
          })),
        }),
      )
      const configDigest = `sha256:${createHash('sha256').update(config).digest('hex')}`
      await uploadBlob(set.repo, configDigest, config.length, config)
      const manifest = {
        schemaVersion: 2,
        mediaType: MANIFEST_TYPE,
        config: { mediaType: CONFIG_TYPE, size: config.length, digest: configDigest },
        layers: blobs.map((b) => ({ mediaType: LAYER_TYPE, size: b.size, digest: b.digest })),
      }
      const put = await drain(
        await fetch(registryUrl(`${set.repo}/manifests/${tag}`), {
          method: 'PUT',
          headers: { 'Content-Type': MANIFEST_TYPE },
          body: JSON.stringify(manifest),
        }),
      )
      if (put.status !== 201) throw new Error(`PUT manifest ${set.repo}:${tag}: HTTP ${put.status}`)
    }
    progress(`${set.repo}: pushed in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function ensureImages(set) {
  const tags = Object.keys(set.tags)
  const have = await Promise.all(tags.map((tag) => hasManifest(set.repo, tag)))
  if (have.every(Boolean)) return
  const total = Object.values(set.tags)
    .map((layers) => mb(layers.reduce((sum, l) => sum + l.bytes, 0)))
    .join(' and ')
  progress(`creating ${REGISTRY}/${set.repo}:{${tags.join(',')}} (${total} of content)...`)
  await createImages(set)
}

export async function benchRegistry({ row, time, median, root, env }) {
  await ensureImages(BIG)
  await ensureImages(SMALL)
  const cli = join(root, 'dist/cli.js')
  const rss = join(root, 'scripts/bench-rss.mjs')
  const expected = {}
  for (const set of [BIG, SMALL]) {
    expected[set.repo] = {
      base: await layerBytes(set.repo, 'base'),
      pr: await layerBytes(set.repo, 'pr'),
    }
  }
  const ref = (repo, tag) => `${REGISTRY}/${repo}:${tag}`
  const compareArgs = (repo, basis = 'compressed') => [
    'compare',
    `docker://${ref(repo, 'base')}`,
    `docker://${ref(repo, 'pr')}`,
    '--size-basis',
    basis,
    '--format',
    'json',
  ]

  /** Runs the CLI (optionally under the RSS wrapper), checks exit 0 and the totals; returns ms. */
  function ours(repo, wrapper, basis = 'compressed') {
    const args = wrapper
      ? [rss, cli, ...compareArgs(repo, basis)]
      : [cli, ...compareArgs(repo, basis)]
    const start = process.hrtime.bigint()
    const r = spawnSync('node', args, { env, encoding: 'utf8', maxBuffer: 64 * MiB })
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    const what = `node ${args.join(' ')}`
    if (r.status !== 0) throw new Error(`${what} exited ${r.status}: ${r.stderr}`)
    const entry = JSON.parse(r.stdout).entries[0]
    const want = expected[repo]
    if (basis === 'uncompressed') {
      // Content sizes: every blob streamed through the tar reader. The layers hold one file of
      // random bytes each, so the content is the tar minus headers: checked to be close.
      const near = (got, want) => Math.abs(got - want) / want < 0.01
      if (!near(entry.totals.baseBytes, want.base) || !near(entry.totals.headBytes, want.pr)) {
        throw new Error(
          `${what}: content totals ${entry.totals.baseBytes} / ${entry.totals.headBytes} are not near ${want.base} / ${want.pr}`,
        )
      }
    } else if (
      entry.basis !== 'compressed' ||
      entry.totals.baseBytes !== want.base ||
      entry.totals.headBytes !== want.pr
    )
      throw new Error(
        `${what}: totals ${entry.totals.baseBytes} / ${entry.totals.headBytes} (${entry.basis}), expected the manifests' layer sums ${want.base} / ${want.pr}`,
      )
    const kib = Number(/bench-rss: maxRSS (\d+) KiB/.exec(r.stderr)?.[1])
    return { ms, kib }
  }

  function pullBaseline() {
    const images = [ref(BIG.repo, 'base'), ref(BIG.repo, 'pr')]
    spawnSync('docker', ['rmi', ...images], { env, stdio: 'ignore' }) // not timed; may be missing
    return (
      time('docker', ['pull', images[0]]) +
      time('docker', ['pull', images[1]]) +
      time('docker', ['history', '--no-trunc', images[0]]) +
      time('docker', ['history', '--no-trunc', images[1]])
    )
  }

  const samples = { ours: [], pull: [], rssBig: [], rssSmall: [] }
  ours(BIG.repo, false) // warm the page cache once
  for (let round = 0; round < ROUNDS; round++) {
    samples.ours.push(ours(BIG.repo, false).ms)
    samples.pull.push(pullBaseline())
    samples.rssBig.push(ours(BIG.repo, true).kib)
    samples.rssSmall.push(ours(SMALL.repo, true).kib)
    progress(
      `round ${round + 1}/${ROUNDS}: ours ${samples.ours.at(-1).toFixed(0)} ms, docker pull + history ${samples.pull.at(-1).toFixed(0)} ms`,
    )
  }
  spawnSync('docker', ['rmi', ref(BIG.repo, 'base'), ref(BIG.repo, 'pr')], {
    env,
    stdio: 'ignore',
  })

  const big = expected[BIG.repo]
  console.log(
    `registry part: medians of ${ROUNDS} interleaved rounds; ${BIG.repo}:base/pr hold ${mb(big.base)} / ${mb(big.pr)} of gzipped layers`,
  )
  const oursMs = median(samples.ours)
  const pullMs = median(samples.pull)
  const fast = row('registry compare vs docker pull', oursMs, pullMs, SPEED_TARGET)
  console.log(
    `${''.padEnd(34)} = ${(pullMs / oursMs).toFixed(1)}x faster than docker pull + history of both (target: at least ${1 / SPEED_TARGET}x faster)`,
  )
  const rssBig = median(samples.rssBig)
  const rssSmall = median(samples.rssSmall)
  const ratio = rssBig / rssSmall
  const flat = ratio <= RSS_TARGET
  const MiBs = (kib) => `${(kib / 1024).toFixed(1).padStart(6)} MiB`
  console.log(
    `${'peak RSS, 1.5 GB vs 2 MB images'.padEnd(34)} ${MiBs(rssBig)} ${MiBs(rssSmall)} ${ratio.toFixed(2).padStart(6)}x  (target <= ${RSS_TARGET}x) ${flat ? 'ok' : 'OVER TARGET'}`,
  )
  // Streaming every layer (the uncompressed basis reads ~3 GB of blobs): memory must stay flat.
  progress('streaming every layer blob once per image set (uncompressed basis)...')
  const streamBig = ours(BIG.repo, true, 'uncompressed').kib
  const streamSmall = ours(SMALL.repo, true, 'uncompressed').kib
  const streamRatio = streamBig / streamSmall
  const streamFlat = streamRatio <= RSS_TARGET
  console.log(
    `${'peak RSS streaming all blobs'.padEnd(34)} ${MiBs(streamBig)} ${MiBs(streamSmall)} ${streamRatio.toFixed(2).padStart(6)}x  (target <= ${RSS_TARGET}x) ${streamFlat ? 'ok' : 'OVER TARGET'}`,
  )
  return [fast, flat, streamFlat]
}
