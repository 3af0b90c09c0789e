import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { ImageInfo } from '../../../src/model/image.js'
import { ImageNotFoundError } from '../../../src/sources/errors.js'
import { readRegistryImage } from '../../../src/sources/registry/registry-source.js'
import { buildFixtures, ENGINES, FIXTURE_HEAD, REGISTRY } from '../../support/engines.js'
import {
  deleteTag,
  startFlakyFront,
  type Fault,
  type FlakyFront,
  type FlakyRequest,
} from '../../support/net-fakes.js'
import {
  getManifest,
  NO_CONFIG,
  pushImage,
  recordingLog,
  tempDockerConfig,
} from '../../support/registry-tools.js'

/**
 * The real registry behind a front that resets connections, answers 503 with Retry-After and
 * 429, and cuts blobs in half: the image read through it is the image read directly, and
 * answers that will not change (404, MANIFEST_UNKNOWN) fail at once.
 */
const [classic] = ENGINES
const repository = `isg-net/flaky-${process.pid}`
const tag = 'pr'
let direct: ImageInfo
let configPath: string
let layerPaths: Set<string>
const fronts: FlakyFront[] = []

beforeAll(async () => {
  buildFixtures(classic)
  const config = tempDockerConfig()
  try {
    pushImage(classic, config.dir, FIXTURE_HEAD, `${REGISTRY}/${repository}:${tag}`)
  } finally {
    config.remove()
  }
  const manifest = await getManifest(REGISTRY, repository, tag)
  configPath = `/v2/${repository}/blobs/${manifest.json.config.digest}`
  layerPaths = new Set(manifest.json.layers.map((l) => `/v2/${repository}/blobs/${l.digest}`))
  direct = await read(REGISTRY).image
})

afterAll(async () => {
  await Promise.all(fronts.map((front) => front.close()))
  await deleteTag(REGISTRY, repository, tag)
})

function read(registry: string, name = `${repository}:${tag}`) {
  const log = recordingLog()
  const image = readRegistryImage(`${registry}/${name}`, {
    credentials: NO_CONFIG,
    measureContent: true,
    log,
  })
  return { image, log }
}

async function front(decide: (request: FlakyRequest) => Fault): Promise<FlakyFront> {
  const started = await startFlakyFront(REGISTRY, decide)
  fronts.push(started)
  return started
}

/** What must not differ between a direct read and one through a front. */
function figures(image: ImageInfo) {
  return {
    digest: image.digest,
    layers: image.layers.map((l) => [l.diffId, l.compressedBytes, l.uncompressedBytes]),
  }
}

const isManifest = (r: FlakyRequest) => r.path.startsWith(`/v2/${repository}/manifests/`)
const isLayer = (r: FlakyRequest) => layerPaths.has(r.path)

describe('a flaky registry', () => {
  it('is retried and resumed: the same figures as a direct read', async () => {
    const flaky = await front((r) => {
      if (r.before > 0) return undefined
      if (isManifest(r) && r.method === 'HEAD') return 'reset'
      if (isManifest(r)) return { status: 503, headers: { 'retry-after': '1' } }
      if (r.path === configPath) return { status: 429, body: '{"errors":[]}' }
      return isLayer(r) && !r.range ? 'cut' : undefined
    })
    const { image, log } = read(flaky.address)
    expect(figures(await image)).toEqual(figures(direct))
    const faults = flaky.log.filter((line) => !line.endsWith('→ pass'))
    expect(faults).toHaveLength(3 + layerPaths.size)
    // each cut blob went on from where it broke off
    const resumed = flaky.log.filter((line) => / bytes=\d+- → pass$/.test(line))
    expect(resumed).toHaveLength(layerPaths.size)
    const lines = log.lines.join('\n')
    expect(lines).toMatch(
      /HEAD http:\/\/127\.0\.0\.1:\d+\/v2\/\S+\/manifests\/pr: \S+; retry 1 of 4/,
    )
    expect(lines).toMatch(/503 Service Unavailable \(Retry-After 1\.0 s\); retry 1 of 4 in 1\.0 s/)
    expect(lines).toMatch(/429 Too Many Requests; retry 1 of 4/)
    expect(lines).toMatch(/body cut after \d+ bytes \(.+\); asking for the rest/)
  })

  it('starts a blob over when the registry will not resume it, or it just ends early', async () => {
    const whole = new Map<string, number>()
    const flaky = await front((r) => {
      if (!isLayer(r)) return undefined
      if (r.range) return 'ignore-range'
      const before = whole.get(r.path) ?? 0
      whole.set(r.path, before + 1)
      return before === 0 ? 'cut' : before === 1 ? 'end-early' : undefined
    })
    const { image, log } = read(flaky.address)
    expect(figures(await image)).toEqual(figures(direct))
    const gets = flaky.log.filter((line) => line.startsWith('GET') && !line.includes('bytes='))
    // per layer: cut, ended early, then whole (plus manifest and config)
    expect(gets.filter((line) => line.endsWith('→ cut'))).toHaveLength(layerPaths.size)
    expect(gets.filter((line) => line.endsWith('→ end-early'))).toHaveLength(layerPaths.size)
    const lines = log.lines.join('\n')
    expect(lines).toMatch(/starting over/)
    expect(lines).toMatch(/broke off layer sha256:\w+ after \d+ of \d+ bytes \(ended early\)/)
    expect(lines).toMatch(/measuring it again from the start/)
    expect(lines).not.toMatch(/corrupt|not a tar/i)
  })

  it('gives up on a blob that is always cut, saying so, after a bounded number of tries', async () => {
    const flaky = await front((r) => (isLayer(r) ? 'end-early' : undefined))
    const { image } = read(flaky.address)
    await expect(image).rejects.toThrow(
      /broke off layer sha256:\w+ after \d+ of \d+ bytes \(ended early\); gave up after 3 tries/,
    )
  })

  it('fails fast on a missing tag, with the registry’s own code', async () => {
    const missing = JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'no tag' }] })
    const flaky = await front((r) =>
      isManifest(r) ? { status: 404, body: r.method === 'GET' ? missing : '' } : undefined,
    )
    const started = Date.now()
    const { image, log } = read(flaky.address)
    await expect(image).rejects.toThrow(ImageNotFoundError)
    await expect(image).rejects.toThrow(/has no image .*:pr \(404 MANIFEST_UNKNOWN\)/)
    expect(flaky.log).toEqual([
      `HEAD /v2/${repository}/manifests/${tag} → 404`,
      `GET /v2/${repository}/manifests/${tag} → 404`,
    ])
    expect(Date.now() - started).toBeLessThan(2000)
    expect(log.lines.join('\n')).not.toMatch(/retry/)
  })

  it('stops after a bounded number of tries, with the last answer’s code', async () => {
    const busy = JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: 'try later' }] })
    const flaky = await front(() => ({ status: 503, headers: { 'retry-after': '0' }, body: busy }))
    const { image } = read(flaky.address)
    await expect(image).rejects.toThrow(/answered 503 Service Unavailable .*UNAVAILABLE: try later/)
    // HEAD, then GET (which says it in full): five tries each
    expect(flaky.log).toHaveLength(10)
  })

  it('does not wait when the registry asks for longer than it is worth', async () => {
    const limited = JSON.stringify({ errors: [{ code: 'TOOMANYREQUESTS', message: 'slow down' }] })
    const flaky = await front(() => ({
      status: 429,
      headers: { 'retry-after': '3600' },
      body: limited,
    }))
    const started = Date.now()
    const { image } = read(flaky.address)
    await expect(image).rejects.toThrow(/answered 429 Too Many Requests .*TOOMANYREQUESTS/)
    expect(flaky.log).toHaveLength(2)
    expect(Date.now() - started).toBeLessThan(2000)
  })
})
