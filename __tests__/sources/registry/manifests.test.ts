import { describe, expect, it } from '@jest/globals'
import { isLoopback } from '../../../src/model/registry-host.js'
import { registryBaseUrl } from '../../../src/sources/registry/endpoint.js'
import { classifyManifest } from '../../../src/sources/registry/manifests.js'

const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json'
const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json'
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
const D = `sha256:${'d'.repeat(64)}`

const manifest = {
  schemaVersion: 2,
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: D, size: 2 },
  layers: [],
}
const index = { schemaVersion: 2, manifests: [{ mediaType: OCI_MANIFEST, digest: D, size: 2 }] }

describe('classifyManifest', () => {
  it.each([
    ['1 OCI manifest by Content-Type', manifest, OCI_MANIFEST, 'manifest', OCI_MANIFEST],
    [
      '2 Docker manifest by its mediaType',
      { ...manifest, mediaType: DOCKER_MANIFEST },
      'text/plain',
      'manifest',
      DOCKER_MANIFEST,
    ],
    ['3 OCI index by Content-Type', index, OCI_INDEX, 'index', OCI_INDEX],
    [
      '4 Docker manifest list',
      { ...index, mediaType: DOCKER_LIST },
      DOCKER_LIST,
      'index',
      DOCKER_LIST,
    ],
    ['5 index by shape behind application/json', index, 'application/json', 'index', OCI_INDEX],
    ['6 manifest by shape without Content-Type', manifest, undefined, 'manifest', OCI_MANIFEST],
    [
      '7 body mediaType wins over Content-Type',
      { ...index, mediaType: OCI_INDEX },
      OCI_MANIFEST,
      'index',
      OCI_INDEX,
    ],
  ])('%s', (_name, document, contentType, kind, mediaType) => {
    expect(classifyManifest(document, contentType, D, 'image x')).toMatchObject({
      kind,
      mediaType,
      digest: D,
    })
  })

  it.each([
    [
      '8 schema 1',
      { schemaVersion: 1, name: 'x' },
      'application/vnd.docker.distribution.manifest.v1+prettyjws',
      /schema 1 manifest .*push it again/,
    ],
    [
      '9 manifest type with an index body',
      index,
      OCI_MANIFEST,
      /has an invalid manifest sha256:d+: config is missing, expected an object$/,
    ],
    [
      '10 artifact manifest',
      { ...manifest, mediaType: 'application/vnd.oci.artifact.manifest.v1+json' },
      undefined,
      /artifact.*neither/,
    ],
    [
      '11 not a manifest at all',
      { hello: 'world' },
      'application/json',
      /\(unknown media type\) is neither/,
    ],
    // fields of the wrong type (a strict registry refuses them on push; others serve them)
    [
      '12 layer size a string',
      { ...manifest, layers: [{ ...manifest.config, size: '2' }] },
      OCI_MANIFEST,
      /^image x has an invalid manifest sha256:d+: layers\[0\]\.size is a string, expected a non-negative integer$/,
    ],
    [
      '13 layer mediaType a number',
      { ...manifest, layers: [{ ...manifest.config, mediaType: 5 }] },
      OCI_MANIFEST,
      /: layers\[0\]\.mediaType is a number, expected a string$/,
    ],
    [
      '14 layer digest with a path in it',
      { ...manifest, layers: [{ ...manifest.config, digest: 'sha256:../../../v2' }] },
      OCI_MANIFEST,
      /: layers\[0\]\.digest is "sha256:\.\.\/\.\.\/\.\.\/v2", expected a digest \(algorithm:hex\)$/,
    ],
    [
      '15 index platform.architecture a number',
      {
        ...index,
        manifests: [{ ...index.manifests[0], platform: { os: 'linux', architecture: 64 } }],
      },
      OCI_INDEX,
      /^image x has an invalid index sha256:d+: manifests\[0\]\.platform\.architecture is a number, expected a string$/,
    ],
    [
      '16 index platform.variant an array',
      {
        ...index,
        manifests: [
          {
            ...index.manifests[0],
            platform: { os: 'linux', architecture: 'arm', variant: ['v7'] },
          },
        ],
      },
      DOCKER_LIST,
      /: manifests\[0\]\.platform\.variant is an array, expected a string$/,
    ],
    [
      '17 mediaType a number',
      { ...manifest, mediaType: 2 },
      OCI_MANIFEST,
      /^image x has an invalid manifest sha256:d+: mediaType is a number, expected a string$/,
    ],
    [
      '18 manifests not a list',
      { schemaVersion: 2, manifests: { linux: 'amd64' } },
      OCI_INDEX,
      /: manifests is an object, expected an array$/,
    ],
  ])('%s is refused', (_name, document, contentType, message) => {
    expect(() => classifyManifest(document, contentType, D, 'image x')).toThrow(message)
  })
})

describe('registry endpoints', () => {
  it.each([
    ['127.0.0.1:5000', true],
    ['127.1.2.3', true],
    ['localhost:5000', true],
    ['registry.localhost', true],
    ['[::1]:5000', true],
    ['ghcr.io', false],
    ['127.0.0.1.example.com', false],
  ])('%s is loopback: %s', (registry, loopback) => {
    expect(isLoopback(registry)).toBe(loopback)
  })

  it('maps Docker Hub to its API host and picks the scheme', () => {
    expect(registryBaseUrl('docker.io')).toBe('https://registry-1.docker.io')
    expect(registryBaseUrl('ghcr.io')).toBe('https://ghcr.io')
    expect(registryBaseUrl('localhost:5000')).toBe('http://localhost:5000')
    expect(registryBaseUrl('reg.lan:5000', ['reg.lan:5000'])).toBe('http://reg.lan:5000')
  })
})
