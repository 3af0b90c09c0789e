import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { runGate } from '../../../src/gate.js'
import { parseOptions } from '../../../src/options.js'
import type { CredentialOptions } from '../../../src/sources/credentials/index.js'
import {
  readRegistryImage,
  type ReadRegistryOptions,
} from '../../../src/sources/registry/registry-source.js'
import type { Logger } from '../../../src/util/log.js'
import {
  AUTH_PASS,
  AUTH_REGISTRY,
  AUTH_USER,
  buildFixtures,
  ENGINES,
  REGISTRY,
} from '../../support/engines.js'
import { dockerLogin, pushImage, tempDockerConfig } from '../../support/registry-tools.js'
import {
  NEW_REFRESH_TOKEN,
  SERVICE,
  startTokenServer,
  TOKEN,
  type TokenServer,
  type TokenServerOptions,
} from '../registry/token-server.js'
import { deleteTag, HELPER_TOKEN, makeHelpers, type FakeHelpers } from './helpers.js'

/**
 * Credentials reach only their own registry and its token service, over real loopback HTTP:
 * token-server.ts fronts the open registry, records every Authorization header it and its
 * "CDN" (another origin) receive, redirects blobs and token requests there on demand, and
 * takes OAuth2 refresh-token POSTs.
 */
const classic = ENGINES[0]
const repository = 'isg-creds/scope'
const tag = `pr-${process.pid}`
const basic = `Basic ${Buffer.from(`${AUTH_USER}:${AUTH_PASS}`).toString('base64')}`
const savedPath = process.env.PATH
let helpers: FakeHelpers
let servers: TokenServer[] = []
const dirs: string[] = []

function configDir(config: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'isg-creds-config-'))
  dirs.push(dir)
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config))
  return dir
}
const NO_CONFIG = { dockerConfigDir: join(tmpdir(), 'isg-creds-no-config') }

async function front(options: Partial<TokenServerOptions> = {}): Promise<TokenServer> {
  const server = await startTokenServer({ upstream: REGISTRY, tokenField: 'token', ...options })
  servers.push(server)
  return server
}

function maskingLog(): Logger & { masked: string[] } {
  const masked: string[] = []
  return { masked, debug() {}, info() {}, warning() {}, mask: (s) => masked.push(s) }
}

const read = (
  registry: string,
  credentials: CredentialOptions,
  extra: Partial<ReadRegistryOptions> = {},
) =>
  readRegistryImage(`${registry}/${repository}:${tag}`, {
    credentials,
    measureContent: false,
    log: maskingLog(),
    ...extra,
  })

/** Every Authorization header a front and its CDN received, by where. */
function authorizations(server: TokenServer): string[] {
  return [
    ...server.tokenRequests.map((r) => `token ${r.authorization ?? 'none'}`),
    ...server.registryRequests.map((r) => `registry ${r.authorization ?? 'none'}`),
    ...server.cdnRequests.map((r) => `cdn ${r.authorization ?? 'none'}`),
  ]
}

beforeAll(() => {
  buildFixtures(classic)
  const config = tempDockerConfig()
  try {
    dockerLogin(classic, config.dir, AUTH_REGISTRY, { user: AUTH_USER, pass: AUTH_PASS })
    pushImage(classic, config.dir, 'isg-fixture/app:pr', `${REGISTRY}/${repository}:${tag}`)
    pushImage(classic, config.dir, 'isg-fixture/app:base', `${AUTH_REGISTRY}/${repository}:${tag}`)
  } finally {
    config.remove()
  }
  helpers = makeHelpers({ [AUTH_REGISTRY]: `${AUTH_USER}:${AUTH_PASS}` })
  process.env.PATH = `${helpers.bin}${delimiter}${savedPath}`
})
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()))
  servers = []
})
afterAll(async () => {
  await deleteTag(REGISTRY, repository, tag)
  await deleteTag(AUTH_REGISTRY, repository, tag, { user: AUTH_USER, pass: AUTH_PASS })
  process.env.PATH = savedPath
  helpers.remove()
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }))
})

describe('1. the inputs go to their registry only', () => {
  it('1.1 base on one registry, PR on another: the other never sees them', async () => {
    const other = await front()
    const options = parseOptions({
      'base-image': `docker://${AUTH_REGISTRY}/${repository}:${tag}`,
      'head-image': `docker://${other.registry}/${repository}:${tag}`,
      registry: AUTH_REGISTRY,
      'registry-username': AUTH_USER,
      'registry-password': AUTH_PASS,
      'size-basis': 'compressed',
    })
    const report = await runGate(
      { ...options, credentials: { ...options.credentials, ...NO_CONFIG } },
      { log: maskingLog() },
    )
    expect(report.entries[0].comparison.base).toBeDefined()
    expect(other.tokenRequests.length).toBeGreaterThan(0)
    expect(authorizations(other).filter((a) => a.includes('Basic'))).toEqual([])
  })

  it('1.2 without the registry input, the same run is one input error naming it', () => {
    expect(() =>
      parseOptions({
        'base-image': `docker://${AUTH_REGISTRY}/${repository}:${tag}`,
        'head-image': `docker://127.0.0.1:1/${repository}:${tag}`,
        'registry-username': AUTH_USER,
        'registry-password': AUTH_PASS,
      }),
    ).toThrow(/^Input "registry" has the value ""; expected the registry that registry-username/)
  })
})

describe('2. never across a redirect to another origin', () => {
  const bound = (server: TokenServer) => ({
    ...NO_CONFIG,
    username: AUTH_USER,
    password: AUTH_PASS,
    registry: server.registry,
  })

  it('2.1 blob downloads redirected to storage get no Authorization', async () => {
    const server = await front({
      login: { user: AUTH_USER, pass: AUTH_PASS },
      redirectBlobs: true,
    })
    const image = await read(server.registry, bound(server), { measureContent: true })
    expect(image.layers.every((l) => typeof l.uncompressedBytes === 'number')).toBe(true)
    expect(server.tokenRequests.map((r) => r.authorization)).toEqual([basic])
    expect(server.cdnRequests.length).toBeGreaterThan(0)
    expect(server.cdnRequests.filter((r) => r.authorization)).toEqual([])
  })

  it('2.2 a token realm redirected to another origin gets no Authorization', async () => {
    const server = await front({ redirectToken: true })
    await read(server.registry, bound(server))
    const tokens = server.cdnRequests.filter((r) => r.path.startsWith('/token'))
    expect(tokens).toHaveLength(1)
    expect(tokens[0].authorization).toBeUndefined()
  })

  it('2.3 an identity token is never POSTed to another origin', async () => {
    const server = await front({ redirectToken: true, refreshToken: 'isg-refresh-1' })
    const dir = configDir({ auths: { [server.registry]: { identitytoken: 'isg-refresh-1' } } })
    await expect(read(server.registry, { dockerConfigDir: dir })).rejects.toThrow(
      /redirected the identity-token request to http:\/\/127\.0\.0\.1:\d+\/token; the token is sent to http:\/\/127\.0\.0\.1:\d+ only/,
    )
    expect(server.cdnRequests).toEqual([])
  })

  it('2.4 a token realm over plain HTTP on another host gets no credentials at all', async () => {
    const server = await front({ realmHost: 'isg-creds-realm.invalid:8080' })
    await expect(read(server.registry, bound(server))).rejects.toThrow(
      `The token service of ${server.registry} is at http://isg-creds-realm.invalid:8080/token, plain HTTP: image-size-gate sends credentials only over HTTPS or to loopback`,
    )
  })
})

describe('3. logins from the Docker config', () => {
  it('3.1 an identitytoken is an OAuth2 refresh token at the token endpoint; all tokens masked', async () => {
    const server = await front({ refreshToken: 'isg-refresh-1' })
    const dir = configDir({ auths: { [server.registry]: { identitytoken: 'isg-refresh-1' } } })
    const log = maskingLog()
    await read(server.registry, { dockerConfigDir: dir }, { log })
    expect(server.tokenRequests).toEqual([
      expect.objectContaining({
        method: 'POST',
        authorization: undefined,
        form: {
          grant_type: 'refresh_token',
          refresh_token: 'isg-refresh-1',
          client_id: 'image-size-gate',
          service: SERVICE,
          scope: `repository:${repository}:pull`,
        },
      }),
    ])
    expect(log.masked).toEqual(expect.arrayContaining(['isg-refresh-1', TOKEN, NEW_REFRESH_TOKEN]))
  })

  it('3.2 a refused identity token says where it came from', async () => {
    const server = await front({ refreshToken: 'isg-refresh-1' })
    const dir = configDir({ auths: { [server.registry]: { identitytoken: 'stale' } } })
    await expect(read(server.registry, { dockerConfigDir: dir })).rejects.toThrow(
      `refused the identity token from auths of ${join(dir, 'config.json')} (400): log in to ${server.registry} again`,
    )
  })

  it('3.3 a helper’s <token> login is used as an identity token', async () => {
    const server = await front({ refreshToken: HELPER_TOKEN })
    const dir = configDir({ credHelpers: { [server.registry]: 'isg-token' } })
    await read(server.registry, { dockerConfigDir: dir })
    expect(server.tokenRequests[0].form?.refresh_token).toBe(HELPER_TOKEN)
  })

  it('3.4 a credsStore login reaches its own registry; the helper runs only when challenged', async () => {
    const dir = configDir({ credsStore: 'isg-good' })
    const log = maskingLog()
    const before = helpers.asked().length
    await read(AUTH_REGISTRY, { dockerConfigDir: dir }, { log })
    expect(log.masked).toContain(AUTH_PASS)
    await read(REGISTRY, { dockerConfigDir: configDir({ credsStore: 'isg-fail' }) })
    expect(helpers.asked().slice(before)).toEqual([`isg-good ${AUTH_REGISTRY}`])
  })

  it('3.5 a helper that fails is an error naming it, once the registry asks for a login', async () => {
    const dir = configDir({ credHelpers: { [AUTH_REGISTRY]: 'isg-fail' } })
    await expect(read(AUTH_REGISTRY, { dockerConfigDir: dir })).rejects.toThrow(
      `The Docker credential helper docker-credential-isg-fail failed for ${AUTH_REGISTRY}: exit code 1`,
    )
  })
})
