import { afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import type { ImageInfo } from '../../../src/model/image.js'
import {
  readRegistryImage,
  type ReadRegistryOptions,
} from '../../../src/sources/registry/registry-source.js'
import { UserError } from '../../../src/util/errors.js'
import { buildFixtures, ENGINES, REGISTRY } from '../../support/engines.js'
import {
  NO_CONFIG,
  pushImage,
  recordingLog,
  tempDockerConfig,
} from '../../support/registry-tools.js'
import { SERVICE, startTokenServer, type TokenServer } from './token-server.js'

/** The Bearer token flow, served by a loopback front (token-server.ts) to the real registry. */
describe('reading through a registry that wants bearer tokens', () => {
  const classic = ENGINES[0]
  const repository = 'isg/token-auth'
  const tag = `pr-${process.pid}`
  let direct: ImageInfo
  let server: TokenServer | undefined
  const options = (extra: Partial<ReadRegistryOptions> = {}): ReadRegistryOptions => ({
    credentials: NO_CONFIG,
    measureContent: false,
    log: recordingLog(),
    ...extra,
  })
  const start = async (extra: Partial<Parameters<typeof startTokenServer>[0]> = {}) => {
    server = await startTokenServer({ upstream: REGISTRY, tokenField: 'token', ...extra })
    return server
  }

  beforeAll(async () => {
    buildFixtures(classic)
    const config = tempDockerConfig()
    pushImage(classic, config.dir, 'isg-fixture/app:pr', `${REGISTRY}/${repository}:${tag}`)
    config.remove()
    direct = await readRegistryImage(`${REGISTRY}/${repository}:${tag}`, options())
  })
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  it('asks the realm for a pull token once, with service and scope, then reads', async () => {
    const front = await start()
    const image = await readRegistryImage(`${front.registry}/${repository}:${tag}`, options())
    expect(image.layers).toEqual(direct.layers)
    expect(image.digest).toBe(direct.digest)
    expect(front.tokenRequests).toEqual([
      {
        method: 'GET',
        path: expect.stringMatching(/^\/token\?/),
        authorization: undefined,
        service: SERVICE,
        scopes: [`repository:${repository}:pull`],
      },
    ])
    // the tag's HEAD once without a token (the challenge), then HEAD, manifest by digest and
    // config with it
    const v2 = `/v2/${repository}`
    expect(
      front.registryRequests.map((r) => `${r.method} ${r.path} ${r.authorization ?? 'none'}`),
    ).toEqual([
      `HEAD ${v2}/manifests/${tag} none`,
      `HEAD ${v2}/manifests/${tag} Bearer isg-test-token-1`,
      `GET ${v2}/manifests/${direct.digest} Bearer isg-test-token-1`,
      `GET ${v2}/blobs/${direct.id} Bearer isg-test-token-1`,
    ])
  })

  it('reads the token from access_token when the realm sends only that', async () => {
    const front = await start({ tokenField: 'access_token' })
    const image = await readRegistryImage(`${front.registry}/${repository}:${tag}`, options())
    expect(image.layers).toEqual(direct.layers)
  })

  it('sends basic credentials to the realm, and names the registry when they are refused', async () => {
    const login = { user: 'robot', pass: 'open-sesame' }
    const front = await start({ login })
    const reference = `${front.registry}/${repository}:${tag}`
    const credentials = {
      ...NO_CONFIG,
      username: login.user,
      password: login.pass,
      registry: front.registry,
    }
    const image = await readRegistryImage(reference, options({ credentials }))
    expect(image.layers).toEqual(direct.layers)
    expect(front.tokenRequests[0].authorization).toBe(
      `Basic ${Buffer.from('robot:open-sesame').toString('base64')}`,
    )
    const wrong = { ...credentials, password: 'wrong' }
    const denied = readRegistryImage(reference, options({ credentials: wrong }))
    await expect(denied).rejects.toThrow(UserError)
    await expect(denied).rejects.toThrow(
      `The registry ${front.registry} denied access to ${repository} (401, as robot)`,
    )
  })

  it('follows blob redirects to another origin without sending it the token', async () => {
    const front = await start({ redirectBlobs: true })
    const reference = `${front.registry}/${repository}:${tag}`
    const measured = await readRegistryImage(reference, options({ measureContent: true }))
    expect(measured.layers.map((l) => l.compressedBytes)).toEqual(
      direct.layers.map((l) => l.compressedBytes),
    )
    expect(measured.layers.every((l) => (l.uncompressedBytes ?? -1) >= 0)).toBe(true)
    // the config and every layer went to the CDN, none with credentials
    expect(front.cdnRequests).toHaveLength(direct.layers.length + 1)
    expect(front.cdnRequests.every((r) => r.authorization === undefined)).toBe(true)
    expect(front.tokenRequests).toHaveLength(1)
  })
})
