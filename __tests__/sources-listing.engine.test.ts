/**
 * Every source lists every layer when asked (`listFiles`), reading what base and PR share once:
 * one engine export with both names (counted through a loopback proxy in front of the engine
 * socket), each shared registry blob fetched once (counted through a proxy in front of the
 * registry), docker-save archives and OCI layouts listed too; the shared layers' listings are
 * the same object in both images. Without `listFiles`: no listing, and today's requests.
 * Real engines and the real loopback registry; never skips.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import Docker from 'dockerode'
import { execFileSync } from 'node:child_process'
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ImageInfo, Layer } from '../src/model/image.js'
import type { ImageSourceRef } from '../src/model/reference.js'
import { runGate } from '../src/gate.js'
import { parseOptions } from '../src/options.js'
import { ImageNotFoundError } from '../src/sources/errors.js'
import { BLOB_CONCURRENCY } from '../src/sources/registry/blob-reader.js'
import { readImagePair } from '../src/sources/read-image-pair.js'
import type { SourceContext } from '../src/sources/read-image.js'
import { silentLogger } from '../src/util/log.js'
import {
  dockerCli,
  dockerFor,
  ENGINES,
  REGISTRY,
  requireEngine,
  type TestEngine,
} from './support/engines.js'
import { NO_CONFIG, pushImage, tempDockerConfig } from './support/registry-tools.js'
import { startCountingProxy, type CountingProxy } from './sources-listing-proxy.js'

const BASE = 'isg-test/listing:base'
const HEAD = 'isg-test/listing:pr'
const BASE_DOCKERFILE = `FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN mkdir -p /var/lib/apt/lists /opt && echo list > /var/lib/apt/lists/x && head -c 100000 /dev/urandom > /opt/blob
`
const HEAD_DOCKERFILE = `FROM ${BASE}
RUN mkdir /app && echo 1 > /app/1
RUN echo 2 > /app/2
RUN echo 3 > /app/3
RUN echo 4 > /app/4
RUN head -c 200000 /dev/urandom > /app/big && rm /opt/blob
`

let work: string

function buildImages(engine: TestEngine): void {
  requireEngine(engine)
  for (const [tag, file] of [
    [BASE, 'base.Dockerfile'],
    [HEAD, 'head.Dockerfile'],
  ]) {
    dockerCli(engine, ['build', '--network', 'host', '-q', '-t', tag, '-f', join(work, file), work])
  }
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'isg-listing-'))
  copyFileSync('/bin/busybox', join(work, 'busybox'))
  writeFileSync(join(work, 'base.Dockerfile'), BASE_DOCKERFILE)
  writeFileSync(join(work, 'head.Dockerfile'), HEAD_DOCKERFILE)
  for (const engine of ENGINES) buildImages(engine)
})

afterAll(() => rmSync(work, { recursive: true, force: true }))

function context(listFiles: boolean, extra: Partial<SourceContext> = {}): SourceContext {
  return { log: silentLogger, credentials: NO_CONFIG, listFiles, measureContent: true, ...extra }
}

async function readBoth(head: ImageSourceRef, base: ImageSourceRef, ctx: SourceContext) {
  const reads = readImagePair(head, base, ctx)
  if (!reads.base) throw new Error('no base read')
  const [h, b] = await Promise.all([reads.head, reads.base])
  return { head: h, base: b }
}

/** The content bytes a layer's listing adds up to: what the layer measure counted. */
const listedBytes = (layer: Layer) =>
  (layer.listing?.entries ?? []).reduce((sum, entry) => sum + entry.bytes, 0)

const withoutListings = (image: ImageInfo) => ({
  ...image,
  layers: image.layers.map(({ listing: _, ...layer }) => layer),
})

/** Checks what every source must give with listFiles: listings, shared by identity. */
function expectListedPair(head: ImageInfo, base: ImageInfo): void {
  for (const layer of [...head.layers, ...base.layers]) {
    expect(layer.listing).toBeDefined()
  }
  // The PR image is built FROM the base: the base's layers are its first ones.
  expect(head.layers.length).toBeGreaterThan(base.layers.length)
  base.layers.forEach((layer, i) => {
    expect(head.layers[i].diffId).toBe(layer.diffId)
    expect(head.layers[i].listing).toBe(layer.listing)
  })
  const busybox = base.layers[0].listing?.entries.find((e) => e.path === '/bin/busybox')
  expect(busybox).toMatchObject({ kind: 'file' })
  const last = head.layers.at(-1)?.listing?.entries ?? []
  expect(last).toContainEqual({ path: '/app/big', kind: 'file', bytes: 200000 })
  expect(last).toContainEqual({ path: '/opt/blob', kind: 'whiteout', bytes: 0 })
}

const engineRef = (reference: string): ImageSourceRef => ({
  transport: 'engine',
  reference,
  pull: false,
})

describe.each(ENGINES)('engine listings on the $name engine ($store)', (engine) => {
  let proxy: CountingProxy
  let docker: Docker
  beforeAll(async () => {
    proxy = await startCountingProxy(
      { socketPath: engine.host.replace(/^unix:\/\//, '') },
      'socket',
    )
    docker = new Docker({ socketPath: proxy.socketPath })
  })
  afterAll(() => proxy.close())

  const exports = () => proxy.requests.filter((r) => /^GET \/[^?]*images\/[^?]*get\b/.test(r))

  it('lists both images from one export that names both, shared layers once', async () => {
    proxy.requests.length = 0
    const { head, base } = await readBoth(
      engineRef(HEAD),
      engineRef(BASE),
      context(true, { docker }),
    )
    expectListedPair(head, base)
    const saves = exports()
    expect(saves).toHaveLength(1)
    const url = new URL(saves[0].slice('GET '.length), 'http://engine')
    expect(url.pathname).toMatch(/\/images\/get$/)
    expect(url.searchParams.getAll('names').sort()).toEqual([head.id, base.id].sort())
    for (const layer of head.layers) expect(listedBytes(layer)).toBe(layer.uncompressedBytes)
  })

  it('keeps the figures and the requests of a read without listings', async () => {
    const listed = await readBoth(engineRef(HEAD), engineRef(BASE), context(true, { docker }))
    proxy.requests.length = 0
    const plain = await readBoth(engineRef(HEAD), engineRef(BASE), context(false, { docker }))
    for (const layer of [...plain.head.layers, ...plain.base.layers]) {
      expect(layer.listing).toBeUndefined()
    }
    expect(withoutListings(listed.head)).toEqual(plain.head)
    expect(withoutListings(listed.base)).toEqual(plain.base)
    // overlay2: inspect and history only; containerd store: one export per image, as before
    const saves = exports()
    if (engine.store === 'overlay2') expect(saves).toEqual([])
    else {
      expect(saves.sort()).toEqual(
        [`GET /images/${plain.head.id}/get`, `GET /images/${plain.base.id}/get`].sort(),
      )
    }
  })

  it('is how the gate reads the pair: one export with file analysis, as before without', async () => {
    const options = parseOptions({ 'base-image': BASE, 'head-image': HEAD })
    proxy.requests.length = 0
    const report = await runGate(options, { log: silentLogger, docker })
    const { head, base } = report.entries[0].comparison
    expect(head.layers.every((l) => l.listing !== undefined)).toBe(true)
    expect(base?.layers[0].listing).toBe(head.layers[0].listing)
    expect(exports()).toHaveLength(1)
    proxy.requests.length = 0
    const plain = await runGate({ ...options, fileAnalysis: false }, { log: silentLogger, docker })
    expect(plain.entries[0].comparison.head.layers.some((l) => l.listing)).toBe(false)
    expect(plain.entries[0].comparison.totals).toEqual(report.entries[0].comparison.totals)
    expect(exports()).toHaveLength(engine.store === 'overlay2' ? 0 : 2)
  })

  it('exports an image that is both base and PR once, under one name', async () => {
    proxy.requests.length = 0
    const { head, base } = await readBoth(
      engineRef(HEAD),
      engineRef(HEAD),
      context(true, { docker }),
    )
    const saves = exports()
    expect(saves).toHaveLength(1)
    expect(new URL(saves[0].slice(4), 'http://engine').searchParams.getAll('names')).toEqual([
      head.id,
    ])
    head.layers.forEach((layer, i) => expect(layer.listing).toBe(base.layers[i].listing))
  })

  it('reads the PR image alone when the base is missing, and says the base is missing', async () => {
    const reads = readImagePair(
      engineRef(HEAD),
      engineRef('isg-test/listing:no-such-tag'),
      context(true, { docker }),
    )
    await expect(reads.base).rejects.toThrow(ImageNotFoundError)
    await expect(reads.base).rejects.toThrow(/^The base image /)
    const head = await reads.head
    expect(head.layers.every((l) => l.listing !== undefined)).toBe(true)
  })

  it('says the PR image is missing, in its own words, whatever the base', async () => {
    const reads = readImagePair(
      engineRef('isg-test/listing:no-such-pr'),
      engineRef(BASE),
      context(true, { docker }),
    )
    await expect(reads.head).rejects.toThrow(/^The PR image .*no-such-pr/)
    expect((await reads.base)?.layers.every((l) => l.listing !== undefined)).toBe(true)
  })
})

describe('registry listings', () => {
  const [classic] = ENGINES
  const repository = `isg-test/listing-${process.pid}`
  let proxy: CountingProxy
  const ref = (tag: string): ImageSourceRef => ({
    transport: 'registry',
    reference: `127.0.0.1:${proxy.port}/${repository}:${tag}`,
  })
  /** Layer-blob GETs by digest */
  const blobGets = (layers: Layer[]) => {
    const digests = new Set(layers.map((l) => l.digest))
    const counts = new Map<string, number>()
    for (const r of proxy.requests) {
      const digest = /^GET \/v2\/.+\/blobs\/(sha256:[0-9a-f]{64})$/.exec(r)?.[1]
      if (digest && digests.has(digest)) counts.set(digest, (counts.get(digest) ?? 0) + 1)
    }
    return counts
  }

  beforeAll(async () => {
    const config = tempDockerConfig()
    pushImage(classic, config.dir, BASE, `${REGISTRY}/${repository}:base`)
    pushImage(classic, config.dir, HEAD, `${REGISTRY}/${repository}:pr`)
    config.remove()
    const [host, port] = REGISTRY.split(':')
    proxy = await startCountingProxy({ host, port: Number(port) }, 'tcp')
  })
  afterAll(() => proxy.close())

  it('fetches a blob that base and PR share once, and lists every layer', async () => {
    proxy.requests.length = 0
    const { head, base } = await readBoth(ref('pr'), ref('base'), context(true))
    expectListedPair(head, base)
    const counts = blobGets(head.layers)
    expect(counts.size).toBe(new Set(head.layers.map((l) => l.digest)).size)
    expect([...counts.values()].every((n) => n === 1)).toBe(true)
    for (const layer of head.layers) expect(listedBytes(layer)).toBe(layer.uncompressedBytes)
  })

  it('streams the blobs of both images side by side, a bounded number at a time', async () => {
    const first = await readBoth(ref('pr'), ref('base'), context(true))
    // Layer blobs only: config blobs are fetched before, outside the bound
    proxy.peak.track = new RegExp(first.head.layers.map((l) => l.digest).join('|'))
    proxy.peak.count = 0
    await readBoth(ref('pr'), ref('base'), context(true))
    expect(proxy.peak.count).toBeGreaterThan(1)
    expect(proxy.peak.count).toBeLessThanOrEqual(BLOB_CONCURRENCY)
  })

  it('streams the blobs for listings on the compressed basis, its figures unchanged', async () => {
    const listed = await readBoth(ref('pr'), ref('base'), context(true, { measureContent: false }))
    expectListedPair(listed.head, listed.base)
    const plain = await readBoth(ref('pr'), ref('base'), context(false, { measureContent: false }))
    expect(withoutListings(listed.head)).toEqual(plain.head)
    expect(listed.head.layers.every((l) => l.uncompressedBytes === undefined)).toBe(true)
  })

  it('lists an engine PR image against a registry base, shared layers by one object', async () => {
    const reads = readImagePair(
      engineRef(HEAD),
      ref('base'),
      context(true, { docker: dockerFor(classic) }),
    )
    const [head, base] = await Promise.all([reads.head, reads.base])
    if (!base) throw new Error('no base')
    expectListedPair(head, base)
    expect(head.origin.kind).toBe('engine')
    expect(base.origin.kind).toBe('registry')
  })

  it('without listings, lists nothing and reads each image’s blobs as before', async () => {
    const listed = await readBoth(ref('pr'), ref('base'), context(true))
    proxy.requests.length = 0
    const plain = await readBoth(ref('pr'), ref('base'), context(false))
    for (const layer of [...plain.head.layers, ...plain.base.layers]) {
      expect(layer.listing).toBeUndefined()
    }
    expect(withoutListings(listed.head)).toEqual(plain.head)
    expect(withoutListings(listed.base)).toEqual(plain.base)
    const counts = blobGets(plain.head.layers)
    for (const layer of plain.head.layers) {
      const shared = plain.base.layers.some((l) => l.digest === layer.digest)
      expect(counts.get(layer.digest ?? '')).toBe(shared ? 2 : 1)
    }
  })
})

describe('archive and layout listings', () => {
  const [classic, containerd] = ENGINES
  let archive: string
  let layout: string
  let saved: string
  beforeAll(() => {
    archive = join(work, 'both.tar')
    dockerCli(classic, ['save', '-o', archive, BASE, HEAD])
    saved = join(work, 'both-oci.tar')
    dockerCli(containerd, ['save', '-o', saved, BASE, HEAD])
    layout = join(work, 'layout')
    mkdirSync(layout)
    execFileSync('tar', ['-xf', saved, '-C', layout])
  })

  const refs = (transport: 'docker-archive' | 'oci-archive' | 'oci', path: string) =>
    [HEAD, BASE].map((name): ImageSourceRef => ({ transport, path, ref: name }))

  it.each([
    ['docker-archive', 'the classic engine’s docker save'],
    ['oci', 'the containerd store’s save, unpacked as an OCI layout'],
  ] as const)('lists every layer of %s (%s)', async (transport, _how) => {
    const [h, b] = refs(transport, transport === 'oci' ? layout : archive)
    const { head, base } = await readBoth(h, b, context(true))
    expectListedPair(head, base)
    for (const layer of head.layers) expect(listedBytes(layer)).toBe(layer.uncompressedBytes)
    const plain = await readBoth(h, b, context(false))
    expect(plain.head.layers.every((l) => l.listing === undefined)).toBe(true)
    expect(withoutListings(head)).toEqual(plain.head)
  })

  /** Bytes this process has read through read(2) so far, page cache included */
  const bytesRead = () => Number(/^rchar: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'))?.[1])

  it.each(['docker-archive', 'oci-archive'] as const)(
    'reads both images of one %s in one pass (twice without listings, as before)',
    async (transport) => {
      const path = transport === 'docker-archive' ? archive : saved
      const size = statSync(path).size
      const [h, b] = refs(transport, path)
      await readBoth(h, b, context(true)) // modules loaded before counting
      let before = bytesRead()
      const { head, base } = await readBoth(h, b, context(true))
      const once = bytesRead() - before
      expectListedPair(head, base)
      before = bytesRead()
      await readBoth(h, b, context(false))
      const twice = bytesRead() - before
      expect(once).toBeGreaterThanOrEqual(size)
      expect(once).toBeLessThan(1.5 * size)
      expect(twice).toBeGreaterThanOrEqual(2 * size)
    },
  )
})
