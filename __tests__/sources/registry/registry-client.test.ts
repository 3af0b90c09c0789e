import { describe, expect, it } from '@jest/globals'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { ImageNotFoundError } from '../../../src/sources/errors.js'
import {
  listPlatforms,
  readRegistryImage,
  type ReadRegistryOptions,
} from '../../../src/sources/registry/registry-source.js'
import { silentLogger } from '../../../src/util/log.js'
import {
  bytesResponse,
  challenge,
  fakeFetch,
  fakeImage,
  OCI_INDEX,
  OCI_MANIFEST,
  sha256,
  type FakeFetch,
  type Guard,
  type Handler,
} from './fake-fetch.js'

const NO_CONFIG = { dockerConfigDir: join(tmpdir(), 'isg-no-docker-config') }
const HUB = 'https://registry-1.docker.io/v2/library/alpine'
const REALM = 'https://auth.docker.io/token'

function options(
  fetchFn: typeof fetch,
  extra: Partial<ReadRegistryOptions> = {},
): ReadRegistryOptions {
  return {
    credentials: NO_CONFIG,
    measureContent: false,
    log: silentLogger,
    fetch: fetchFn,
    ...extra,
  }
}

/**
 * An image served under `base` (…/v2/<name>), its manifest by tag and by digest as a registry
 * serves it (HEAD too, see fakeFetch); `guard` may answer instead (auth).
 */
function imageRoutes(base: string, guard?: Guard, image = fakeImage()): Record<string, Handler> {
  const serve =
    (body: string, headers: Record<string, string>): Handler =>
    (request) =>
      guard?.(request) ?? bytesResponse(body, headers)
  const manifest = serve(image.manifest, {
    'content-type': OCI_MANIFEST,
    'docker-content-digest': image.manifestDigest,
  })
  return {
    [`GET ${base}/manifests/latest`]: manifest,
    [`GET ${base}/manifests/${image.manifestDigest}`]: manifest,
    [`GET ${base}/blobs/${image.configDigest}`]: serve(image.config, {}),
  }
}

/** `METHOD url` of each request made, in order. */
function sent(fake: FakeFetch): string[] {
  return fake.requests.map((r) => `${r.method} ${r.url}`)
}

const ACCEPTED = [
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  OCI_INDEX,
  OCI_MANIFEST,
]

describe('readRegistryImage with a fake fetch', () => {
  it('maps docker.io to registry-1.docker.io, asks for every manifest type, follows the token flow', async () => {
    const image = fakeImage()
    let tokens = 0
    const needToken: Guard = (request) =>
      request.headers.authorization === 'Bearer hub-token'
        ? undefined
        : challenge(
            `Bearer realm="${REALM}",service="registry.docker.io",scope="repository:library/alpine:pull"`,
          )
    const fake = fakeFetch({
      ...imageRoutes(HUB, needToken, image),
      [`GET ${REALM}`]: () => {
        tokens += 1
        return bytesResponse(JSON.stringify({ access_token: 'hub-token' }))
      },
    })
    const info = await readRegistryImage('alpine', options(fake.fetch))
    // the tag resolved with HEAD (challenged, then with the token), the manifest GET by digest
    expect(sent(fake)).toEqual([
      `HEAD ${HUB}/manifests/latest`,
      `GET ${REALM}?service=registry.docker.io&scope=repository%3Alibrary%2Falpine%3Apull`,
      `HEAD ${HUB}/manifests/latest`,
      `GET ${HUB}/manifests/${image.manifestDigest}`,
      `GET ${HUB}/blobs/${image.configDigest}`,
    ])
    const manifestRequests = fake.requests.filter((r) => r.url.includes('/manifests/'))
    expect(manifestRequests).toHaveLength(3)
    for (const request of manifestRequests) {
      expect(request.headers.accept.split(', ').sort()).toEqual(ACCEPTED)
    }
    expect(tokens).toBe(1)
    expect(fake.requests.at(-1)?.headers.authorization).toBe('Bearer hub-token')
    expect(info).toMatchObject({
      id: image.configDigest,
      digest: image.manifestDigest,
      origin: { kind: 'registry', registry: 'docker.io' },
      platform: { os: 'linux', architecture: 'amd64' },
    })
    expect(info.layers.map((l) => [l.instruction, l.compressedBytes, l.uncompressedBytes])).toEqual(
      [
        ['COPY rootfs /', 1000, undefined],
        ['RUN make', 2000, undefined],
      ],
    )
  })

  it('answers a Basic challenge once and then sends Basic up front', async () => {
    const base = 'https://reg.example/v2/team/app'
    const basic = `Basic ${Buffer.from('u:p').toString('base64')}`
    const guard: Guard = (r) =>
      r.headers.authorization === basic ? undefined : challenge('Basic realm="r"')
    const fake = fakeFetch(imageRoutes(base, guard))
    const credentials = { ...NO_CONFIG, username: 'u', password: 'p', registry: 'reg.example' }
    await readRegistryImage('reg.example/team/app', options(fake.fetch, { credentials }))
    // HEAD challenged, HEAD again with Basic, then the manifest and config GETs send it up front
    expect(fake.requests.map((r) => `${r.method} ${r.headers.authorization ?? 'none'}`)).toEqual([
      'HEAD none',
      `HEAD ${basic}`,
      `GET ${basic}`,
      `GET ${basic}`,
    ])
    const anonymous = readRegistryImage(
      'reg.example/team/app',
      options(fakeFetch(imageRoutes(base, guard)).fetch),
    )
    await expect(anonymous).rejects.toThrow(
      'The registry reg.example denied access to team/app (401, anonymously): set the registry-username and registry-password inputs, or run docker/login-action before this step',
    )
  })

  it('speaks http to hosts listed as insecure and https to the rest', async () => {
    const fake = fakeFetch(imageRoutes('http://reg.internal:5000/v2/app'))
    await readRegistryImage(
      'reg.internal:5000/app',
      options(fake.fetch, { insecureRegistries: ['reg.internal:5000'] }),
    )
    expect(fake.requests[0].url).toBe('http://reg.internal:5000/v2/app/manifests/latest')
    const other = fakeFetch({})
    await expect(readRegistryImage('reg.internal:5000/app', options(other.fetch))).rejects.toThrow(
      ImageNotFoundError,
    )
    expect(other.requests[0].url).toBe('https://reg.internal:5000/v2/app/manifests/latest')
  })

  it('sends no credentials to an insecure (plain-HTTP) registry that is not loopback', async () => {
    const basic = `Basic ${Buffer.from('u:p').toString('base64')}`
    const guard: Guard = (r) =>
      r.headers.authorization === basic ? undefined : challenge('Basic realm="r"')
    const fake = fakeFetch(imageRoutes('http://reg.internal:5000/v2/app', guard))
    const credentials = {
      ...NO_CONFIG,
      username: 'u',
      password: 'p',
      registry: 'reg.internal:5000',
    }
    const read = readRegistryImage(
      'reg.internal:5000/app',
      options(fake.fetch, { credentials, insecureRegistries: ['reg.internal:5000'] }),
    )
    await expect(read).rejects.toThrow(
      'The registry reg.internal:5000 asks for credentials, but it is reached over plain HTTP (insecure-registries) and image-size-gate sends credentials only over HTTPS or to loopback',
    )
    expect(fake.requests.map((r) => r.headers.authorization)).toEqual([undefined])
  })

  it('keeps Authorization off a redirect to the same host over plain HTTP (another origin)', async () => {
    const base = 'https://reg.example/v2/app'
    const image = fakeImage()
    const basic = `Basic ${Buffer.from('u:p').toString('base64')}`
    const guard: Guard = (r) =>
      r.headers.authorization === basic ? undefined : challenge('Basic realm="r"')
    const fake = fakeFetch({
      ...imageRoutes(base, guard, image),
      [`GET ${base}/blobs/${image.configDigest}`]: (r) =>
        guard(r) ?? bytesResponse('', { location: `http://reg.example/c` }, 302),
      'GET http://reg.example/c': () => bytesResponse(image.config),
    })
    const credentials = { ...NO_CONFIG, username: 'u', password: 'p', registry: 'reg.example' }
    await readRegistryImage('reg.example/app', options(fake.fetch, { credentials }))
    const plain = fake.requests.filter((r) => r.url.startsWith('http://'))
    expect(plain).toHaveLength(1)
    expect(plain[0].headers.authorization).toBeUndefined()
  })

  it('keeps credentials on the registry when a blob is redirected elsewhere', async () => {
    const base = 'https://reg.example/v2/app'
    const image = fakeImage()
    const token: Guard = (r) =>
      r.headers.authorization === 'Bearer t'
        ? undefined
        : challenge('Bearer realm="https://reg.example/token"')
    const fake = fakeFetch({
      ...imageRoutes(base, token, image),
      'GET https://reg.example/token': () => bytesResponse('{"token":"t"}'),
      [`GET ${base}/blobs/${image.configDigest}`]: (r) =>
        token(r) ?? bytesResponse('', { location: `https://cdn.example/c?sig=1` }, 307),
      'GET https://cdn.example/c': () => bytesResponse(image.config),
    })
    await readRegistryImage('reg.example/app', options(fake.fetch))
    const cdn = fake.requests.filter((r) => r.url.startsWith('https://cdn.example/'))
    expect(cdn).toHaveLength(1)
    expect(cdn[0].headers.authorization).toBeUndefined()
  })

  it('refuses a manifest whose bytes do not match the digest asked for or served', async () => {
    const image = fakeImage()
    const other = `sha256:${'f'.repeat(64)}`
    const byDigest = fakeFetch({
      [`GET https://reg.example/v2/app/manifests/${other}`]: () => bytesResponse(image.manifest),
    })
    await expect(
      readRegistryImage(`reg.example/app@${other}`, options(byDigest.fetch)),
    ).rejects.toThrow(
      `image reg.example/app@${other} does not match its digest: expected ${other}, got ${image.manifestDigest}`,
    )
    // HEAD gives no digest, so the GET by tag is checked against the digest it is served with
    const lying = fakeFetch({
      'HEAD https://reg.example/v2/app/manifests/latest': () => bytesResponse('', {}, 405),
      'GET https://reg.example/v2/app/manifests/latest': () =>
        bytesResponse(image.manifest, { 'docker-content-digest': other }),
    })
    await expect(readRegistryImage('reg.example/app', options(lying.fetch))).rejects.toThrow(
      `image reg.example/app:latest does not match its digest: expected ${other}, got ${image.manifestDigest}`,
    )
    expect(sent(lying)).toEqual([
      'HEAD https://reg.example/v2/app/manifests/latest',
      'GET https://reg.example/v2/app/manifests/latest',
    ])
  })

  it('caps a manifest body, by Content-Length and while streaming', async () => {
    const big = 'x'.repeat(4 * 1024 * 1024 + 1)
    const declared = fakeFetch({
      'GET https://reg.example/v2/app/manifests/latest': () => bytesResponse(big),
    })
    await expect(readRegistryImage('reg.example/app', options(declared.fetch))).rejects.toThrow(
      'image reg.example/app:latest is larger than the 4194304-byte limit',
    )
    const streamed = fakeFetch({
      'GET https://reg.example/v2/app/manifests/latest': () =>
        new Response(new Blob([big]).stream(), { headers: {} }),
    })
    await expect(readRegistryImage('reg.example/app', options(streamed.fetch))).rejects.toThrow(
      /4194304-byte limit/,
    )
  })

  it('names the registry’s error code for other failures, and a 404 manifest as not found', async () => {
    const failing = fakeFetch({
      'GET https://reg.example/v2/app/manifests/latest': () =>
        bytesResponse('{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}', {}, 429),
    })
    // the HEAD's 429 has no body to name the code: the GET by tag says it in full
    await expect(readRegistryImage('reg.example/app', options(failing.fetch))).rejects.toThrow(
      'The registry reg.example answered 429 for image reg.example/app:latest (TOOMANYREQUESTS: slow down)',
    )
    expect(sent(failing)).toEqual([
      'HEAD https://reg.example/v2/app/manifests/latest',
      'GET https://reg.example/v2/app/manifests/latest',
    ])
    const missing = fakeFetch({
      'GET https://reg.example/v2/app/manifests/latest': () =>
        bytesResponse('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}', {}, 404),
    })
    const read = readRegistryImage('reg.example/app', options(missing.fetch))
    await expect(read).rejects.toThrow(ImageNotFoundError)
    await expect(read).rejects.toThrow(
      'The registry reg.example has no image reg.example/app:latest (404 MANIFEST_UNKNOWN)',
    )
    // a GET (HEAD not allowed) names the code the registry sent
    const noHead = fakeFetch({
      'HEAD https://reg.example/v2/app/manifests/latest': () => bytesResponse('', {}, 405),
      'GET https://reg.example/v2/app/manifests/latest': () =>
        bytesResponse('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}', {}, 404),
    })
    await expect(readRegistryImage('reg.example/app', options(noHead.fetch))).rejects.toThrow(
      'The registry reg.example has no image reg.example/app:latest (404 MANIFEST_UNKNOWN)',
    )
  })

  it('checks config blobs against their digest', async () => {
    const image = fakeImage()
    const fake = fakeFetch({
      ...imageRoutes('https://reg.example/v2/app', undefined, image),
      [`GET https://reg.example/v2/app/blobs/${image.configDigest}`]: () =>
        bytesResponse(`${image.config} `),
    })
    await expect(readRegistryImage('reg.example/app', options(fake.fetch))).rejects.toThrow(
      new RegExp(
        `config ${image.configDigest} of reg.example/app:latest does not match its digest`,
      ),
    )
    expect(sha256(image.config)).toBe(image.configDigest)
  })
})

describe('resolving a tag to its digest with HEAD', () => {
  const base = 'https://reg.example/v2/app'

  it('GETs the manifest by the digest HEAD gives, and refuses a body that is not that digest', async () => {
    const image = fakeImage()
    const fake = fakeFetch(imageRoutes(base, undefined, image))
    const info = await readRegistryImage('reg.example/app', options(fake.fetch))
    expect(sent(fake)).toEqual([
      `HEAD ${base}/manifests/latest`,
      `GET ${base}/manifests/${image.manifestDigest}`,
      `GET ${base}/blobs/${image.configDigest}`,
    ])
    expect(fake.requests[0].headers.accept.split(', ').sort()).toEqual(ACCEPTED)
    expect(info.digest).toBe(image.manifestDigest)
    expect(info.layers.map((l) => l.compressedBytes)).toEqual([1000, 2000])

    // what is served by that digest, without a header of its own, is checked against it
    const other = `sha256:${'e'.repeat(64)}`
    const lying = fakeFetch({
      [`HEAD ${base}/manifests/latest`]: () =>
        bytesResponse('', { 'content-type': OCI_MANIFEST, 'docker-content-digest': other }),
      [`GET ${base}/manifests/${other}`]: () =>
        bytesResponse(image.manifest, { 'content-type': OCI_MANIFEST }),
    })
    await expect(readRegistryImage('reg.example/app', options(lying.fetch))).rejects.toThrow(
      `image reg.example/app:latest does not match its digest: expected ${other}, got ${image.manifestDigest}`,
    )
    expect(sent(lying)).toEqual([`HEAD ${base}/manifests/latest`, `GET ${base}/manifests/${other}`])
  })

  it.each([
    ['HEAD not allowed (405)', () => bytesResponse('', {}, 405)],
    ['no Docker-Content-Digest', () => bytesResponse('', { 'content-type': OCI_MANIFEST })],
    [
      'a Docker-Content-Digest that is not a digest',
      () => bytesResponse('', { 'docker-content-digest': 'latest' }),
    ],
  ])('falls back to GET by tag: %s', async (_name, head) => {
    const image = fakeImage()
    const fake = fakeFetch({
      ...imageRoutes(base, undefined, image),
      [`HEAD ${base}/manifests/latest`]: head,
    })
    const info = await readRegistryImage('reg.example/app', options(fake.fetch))
    expect(sent(fake)).toEqual([
      `HEAD ${base}/manifests/latest`,
      `GET ${base}/manifests/latest`,
      `GET ${base}/blobs/${image.configDigest}`,
    ])
    expect(info.digest).toBe(image.manifestDigest)
    expect(info.id).toBe(image.configDigest)
  })

  it('takes a 404 as not found, naming the image; the GET after the HEAD names the code', async () => {
    const image = fakeImage()
    const fake = fakeFetch({
      [`GET ${base}/blobs/${image.configDigest}`]: () => bytesResponse(image.config),
      [`GET ${base}/manifests/gone`]: () =>
        bytesResponse(
          '{"errors":[{"code":"NAME_UNKNOWN","message":"no such repository"}]}',
          {},
          404,
        ),
    })
    const read = readRegistryImage('reg.example/app:gone', options(fake.fetch))
    await expect(read).rejects.toThrow(ImageNotFoundError)
    await expect(read).rejects.toThrow(
      'The registry reg.example has no image reg.example/app:gone (404 NAME_UNKNOWN)',
    )
    expect(sent(fake)).toEqual([`HEAD ${base}/manifests/gone`, `GET ${base}/manifests/gone`])
    const platforms = fakeFetch({})
    await expect(listPlatforms('reg.example/app:gone', options(platforms.fetch))).rejects.toThrow(
      'The registry reg.example has no image reg.example/app:gone (404 not found)',
    )
    expect(sent(platforms)).toEqual([`HEAD ${base}/manifests/gone`, `GET ${base}/manifests/gone`])
  })

  it('makes no HEAD for a digest reference', async () => {
    const image = fakeImage()
    const fake = fakeFetch(imageRoutes(base, undefined, image))
    const reference = `reg.example/app@${image.manifestDigest}`
    const info = await readRegistryImage(reference, options(fake.fetch))
    expect(sent(fake)).toEqual([
      `GET ${base}/manifests/${image.manifestDigest}`,
      `GET ${base}/blobs/${image.configDigest}`,
    ])
    expect(info.digest).toBe(image.manifestDigest)
    const tagged = fakeFetch(imageRoutes(base, undefined, image))
    await readRegistryImage(`reg.example/app:latest@${image.manifestDigest}`, options(tagged.fetch))
    expect(tagged.requests.map((r) => r.method)).toEqual(['GET', 'GET'])
  })
})
