import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import type { ImageInfo } from '../../../src/model/image.js'
import { readRegistryImage } from '../../../src/sources/registry/registry-source.js'
import { buildFixtures, ENGINES, FIXTURE_HEAD, REGISTRY } from '../../support/engines.js'
import {
  deleteTag,
  outsideAddress,
  startFlakyFront,
  startProxy,
  startRewritingFront,
  type RecordingProxy,
} from '../../support/net-fakes.js'
import {
  NO_CONFIG,
  pushImage,
  recordingLog,
  tempDockerConfig,
} from '../../support/registry-tools.js'
import { startTokenServer } from './token-server.js'

/**
 * Registry reads through a real HTTP proxy on loopback. The registry is given a name that does
 * not resolve (`*.isg.test`); only the proxy maps it to the real registry, so an image that is
 * read at all went through the proxy. (HTTPS through CONNECT, with a trusted certificate, is
 * tested through the bundle in network.e2e.test.ts: NODE_EXTRA_CA_CERTS is read at start-up.)
 */
const [classic] = ENGINES
const repository = `isg-net/proxy-${process.pid}`
const tag = 'pr'
const PLAIN = 'registry-plain.isg.test:5000'
const PROXY_VARIABLES = [
  'HTTP_PROXY',
  'http_proxy',
  'HTTPS_PROXY',
  'https_proxy',
  'NO_PROXY',
  'no_proxy',
]
let direct: ImageInfo
const closers: Array<() => Promise<void>> = []

beforeAll(async () => {
  buildFixtures(classic)
  const config = tempDockerConfig()
  try {
    pushImage(classic, config.dir, FIXTURE_HEAD, `${REGISTRY}/${repository}:${tag}`)
  } finally {
    config.remove()
  }
  direct = await readRegistryImage(`${REGISTRY}/${repository}:${tag}`, {
    credentials: NO_CONFIG,
    measureContent: true,
    log: recordingLog(),
  })
})

afterEach(() => {
  for (const name of PROXY_VARIABLES) delete process.env[name]
})

afterAll(async () => {
  await Promise.all(closers.map((close) => close()))
  await deleteTag(REGISTRY, repository, tag)
})

async function proxy(...args: Parameters<typeof startProxy>): Promise<RecordingProxy> {
  const started = await startProxy(...args)
  closers.push(started.close)
  return started
}

function read(registry: string, insecure = [registry]) {
  const log = recordingLog()
  const image = readRegistryImage(`${registry}/${repository}:${tag}`, {
    credentials: NO_CONFIG,
    measureContent: true,
    insecureRegistries: insecure,
    log,
  })
  return { image, log }
}

const figures = (image: ImageInfo) => ({
  digest: image.digest,
  layers: image.layers.map((l) => [l.diffId, l.compressedBytes, l.uncompressedBytes]),
})

describe('registry requests through HTTP_PROXY', () => {
  it.each(['HTTP_PROXY', 'http_proxy'])('%s: the image read through the proxy', async (name) => {
    const through = await proxy({ [PLAIN]: REGISTRY })
    process.env[name] = through.url
    const { image, log } = read(PLAIN)
    expect(figures(await image)).toEqual(figures(direct))
    expect(new Set(through.seen)).toEqual(new Set([`CONNECT ${PLAIN}`]))
    expect(log.lines).toContain(`info: ${PLAIN}: through the proxy ${through.url} (${name})`)
  })

  it('never sends loopback registries through it', async () => {
    const through = await proxy({})
    process.env.HTTP_PROXY = through.url
    const { image } = read(REGISTRY, [])
    expect(figures(await image)).toEqual(figures(direct))
    expect(through.seen).toEqual([])
  })

  it.each(['NO_PROXY', 'no_proxy'])('%s: a listed host goes direct', async (name) => {
    const ip = outsideAddress()
    const front = await startFlakyFront(REGISTRY, () => undefined, ip)
    closers.push(front.close)
    const through = await proxy({ [front.address]: REGISTRY })
    process.env.HTTP_PROXY = through.url
    process.env[name] = `example.com,${ip}`
    expect(figures(await read(front.address).image)).toEqual(figures(direct))
    expect(through.seen).toEqual([])
    expect(front.log.length).toBeGreaterThan(0)
    // the same host, not listed: through the proxy
    process.env[name] = 'example.com'
    expect(figures(await read(front.address).image)).toEqual(figures(direct))
    expect(through.seen).toContain(`CONNECT ${front.address}`)
  })

  it('sends the credentials in the proxy URL as Proxy-Authorization, and names the proxy when refused', async () => {
    const through = await proxy({ [PLAIN]: REGISTRY }, { requireAuth: 'isg:proxy-pass' })
    const port = new URL(through.url).port
    process.env.HTTP_PROXY = `http://isg:proxy-pass@127.0.0.1:${port}`
    expect(figures(await read(PLAIN).image)).toEqual(figures(direct))
    expect(through.authorizations[0]).toBe(
      `Basic ${Buffer.from('isg:proxy-pass').toString('base64')}`,
    )
    process.env.HTTP_PROXY = `http://isg:wrong@127.0.0.1:${port}`
    const refused = read(PLAIN).image
    await expect(refused).rejects.toThrow(
      `Cannot reach the registry at http://${PLAIN}/v2/${repository}/manifests/${tag}`,
    )
    await expect(refused).rejects.toThrow(
      `the proxy http://127.0.0.1:${port} (HTTP_PROXY) answered 407 to CONNECT; it refused the login in HTTP_PROXY`,
    )
    await expect(refused).rejects.not.toThrow('wrong')
  })

  it('asks the token service through the proxy too', async () => {
    const tokens = await startTokenServer({ upstream: REGISTRY, tokenField: 'token' })
    closers.push(tokens.close)
    const realmPort = tokens.registry.split(':')[1]
    const realm = `auth.isg.test:${realmPort}`
    // the challenge names the realm by a name only the proxy knows
    const front = await startRewritingFront(tokens.registry, (name, value) =>
      name === 'www-authenticate' ? value.replace(tokens.registry, realm) : value,
    )
    closers.push(front.close)
    const name = `registry-token.isg.test:${front.port}`
    const through = await proxy({ [name]: front.address, [realm]: tokens.registry })
    process.env.http_proxy = through.url
    expect(figures(await read(name).image)).toEqual(figures(direct))
    expect(through.seen).toContain(`CONNECT ${realm}`)
    expect(tokens.tokenRequests.length).toBeGreaterThan(0)
  })
})
