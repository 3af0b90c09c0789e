import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { ImageNotFoundError } from '../../../src/sources/errors.js'
import {
  listPlatforms,
  readRegistryImage,
  type ReadRegistryOptions,
} from '../../../src/sources/registry/registry-source.js'
import { UserError } from '../../../src/util/errors.js'
import {
  AUTH_PASS,
  AUTH_REGISTRY,
  AUTH_USER,
  buildFixtures,
  ENGINES,
  REGISTRY,
} from '../../support/engines.js'
import {
  closedPort,
  dockerLogin,
  getManifest,
  NO_CONFIG,
  pushImage,
  recordingLog,
  tempDockerConfig,
  type RawManifest,
} from '../../support/registry-tools.js'

/** The fixture images, pushed by each engine to the open and the htpasswd registry. */
describe.each(ENGINES)('reading images pushed by the $name engine', (engine) => {
  const repository = `isg/registry-source-${engine.name}`
  const tag = `pr-${process.pid}`
  const open = `${REGISTRY}/${repository}:${tag}`
  const authed = `${AUTH_REGISTRY}/${repository}:${tag}`
  const auth = { user: AUTH_USER, pass: AUTH_PASS }
  /** The registry-username/-password inputs, bound to the registry they are for */
  const inputs = { username: AUTH_USER, password: AUTH_PASS, registry: AUTH_REGISTRY }
  const config = tempDockerConfig()
  const options = (extra: Partial<ReadRegistryOptions> = {}): ReadRegistryOptions => ({
    credentials: NO_CONFIG,
    measureContent: false,
    log: recordingLog(),
    ...extra,
  })

  beforeAll(() => {
    buildFixtures(engine)
    pushImage(engine, config.dir, 'isg-fixture/app:pr', open)
    dockerLogin(engine, config.dir, AUTH_REGISTRY, auth)
    pushImage(engine, config.dir, 'isg-fixture/app:pr', authed)
  })
  afterAll(() => config.remove())

  it('gives the manifest’s compressed layer sizes and digests, anonymously', async () => {
    const raw = await getManifest(REGISTRY, repository, tag)
    const image = await readRegistryImage(open, options())
    expect(image.layers.map((l) => l.compressedBytes)).toEqual(raw.json.layers.map((l) => l.size))
    expect(image.layers.map((l) => l.digest)).toEqual(raw.json.layers.map((l) => l.digest))
    const total = image.layers.reduce((sum, l) => sum + (l.compressedBytes ?? 0), 0)
    expect(total).toBe(raw.json.layers.reduce((sum, l) => sum + l.size, 0))
    expect(image).toMatchObject({
      reference: open,
      id: raw.json.config.digest,
      digest: raw.digest,
      platform: { os: 'linux', architecture: 'amd64' },
      origin: { kind: 'registry', registry: REGISTRY },
      notes: [],
    })
  })

  it('resolves the tag with HEAD, then GETs the manifest by the digest the registry gave', async () => {
    const raw = await getManifest(REGISTRY, repository, tag)
    const log = recordingLog()
    const image = await readRegistryImage(open, options({ log }))
    expect(image.digest).toBe(raw.digest)
    const v2 = `http://${REGISTRY}/v2/${repository}`
    expect(log.lines.filter((l) => l.includes('/manifests/'))).toEqual([
      `debug: HEAD ${v2}/manifests/${tag} → 200`,
      `debug: GET ${v2}/manifests/${raw.digest} → 200`,
    ])
  })

  it('pairs layers with their build steps and leaves content sizes unmeasured', async () => {
    const image = await readRegistryImage(open, options())
    expect(image.layers.length).toBeGreaterThan(3)
    expect(image.layers.every((l) => l.uncompressedBytes === undefined)).toBe(true)
    expect(image.layers.every((l) => /^sha256:[0-9a-f]{64}$/.test(l.diffId))).toBe(true)
    expect(image.layers[0].instruction).toMatch(/COPY .*busybox/)
    expect(image.layers.map((l) => l.instruction).join('\n')).toMatch(/rm -rf \/var\/cache/)
  })

  it('reads a digest reference and checks the registry serves that digest', async () => {
    const raw = await getManifest(REGISTRY, repository, tag)
    const image = await readRegistryImage(`${REGISTRY}/${repository}@${raw.digest}`, options())
    expect(image.digest).toBe(raw.digest)
    const other = `sha256:${'0'.repeat(64)}`
    await expect(
      readRegistryImage(`${REGISTRY}/${repository}@${other}`, options()),
    ).rejects.toThrow(ImageNotFoundError)
  })

  it('reads with basic-auth credentials from the inputs', async () => {
    const raw = await getManifest<RawManifest>(AUTH_REGISTRY, repository, tag, auth)
    const image = await readRegistryImage(
      authed,
      options({ credentials: { ...NO_CONFIG, ...inputs } }),
    )
    expect(image.layers.map((l) => l.compressedBytes)).toEqual(raw.json.layers.map((l) => l.size))
  })

  it('reads with the credentials docker login wrote', async () => {
    const image = await readRegistryImage(
      authed,
      options({ credentials: { dockerConfigDir: config.dir } }),
    )
    expect(image.origin).toEqual({ kind: 'registry', registry: AUTH_REGISTRY })
  })

  it('says which registry refused a wrong password and what to do', async () => {
    const wrong = { ...NO_CONFIG, ...inputs, password: 'not-the-password' }
    const read = readRegistryImage(authed, options({ credentials: wrong }))
    await expect(read).rejects.toThrow(UserError)
    await expect(read).rejects.toThrow(
      /registry 127\.0\.0\.1:5001 denied access .*as isg.*check that the password or token of isg is right/,
    )
  })

  it('says access was denied anonymously when there are no credentials', async () => {
    await expect(readRegistryImage(authed, options())).rejects.toThrow(
      /127\.0\.0\.1:5001 denied access to .*anonymously/,
    )
  })

  it('reports a missing tag or repository as not found', async () => {
    const missingTag = readRegistryImage(`${REGISTRY}/${repository}:no-such-tag`, options())
    await expect(missingTag).rejects.toThrow(ImageNotFoundError)
    // the HEAD's 404 has no body: the GET after it names the registry's own code
    await expect(missingTag).rejects.toThrow(
      `The registry ${REGISTRY} has no image ${REGISTRY}/${repository}:no-such-tag (404 MANIFEST_UNKNOWN)`,
    )
    const missingRepo = readRegistryImage(`${REGISTRY}/isg/no-such-repo:x`, options())
    await expect(missingRepo).rejects.toThrow(ImageNotFoundError)
    await expect(missingRepo).rejects.toThrow(
      `The registry ${REGISTRY} has no image ${REGISTRY}/isg/no-such-repo:x (404 MANIFEST_UNKNOWN)`,
    )
  })

  it('names the URL of a registry that does not answer', async () => {
    const port = await closedPort()
    await expect(readRegistryImage(`127.0.0.1:${port}/isg/app:x`, options())).rejects.toThrow(
      `Cannot reach the registry at http://127.0.0.1:${port}/v2/isg/app/manifests/x (ECONNREFUSED)`,
    )
  })

  it('lists the one platform of a single-platform image and refuses another', async () => {
    expect(await listPlatforms(open, options())).toEqual([{ os: 'linux', architecture: 'amd64' }])
    await expect(
      readRegistryImage(open, options({ platform: { os: 'linux', architecture: 'arm64' } })),
    ).rejects.toThrow(/has no image for linux\/arm64; it has linux\/amd64/)
  })
})
