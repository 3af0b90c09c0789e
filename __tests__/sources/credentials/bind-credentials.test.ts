import { describe, expect, it } from '@jest/globals'
import { normalizeRegistry } from '../../../src/model/registry-host.js'
import { parseOptions, type RawOptions } from '../../../src/options.js'
import { InputError } from '../../../src/util/errors.js'

/** The registry the input credentials are bound to, or the input problems, for raw options. */
function bind(raw: RawOptions): string | undefined | string[] {
  try {
    return parseOptions(raw).credentials.registry
  } catch (error) {
    if (error instanceof InputError) return error.problems
    throw error
  }
}

const login = { 'registry-username': 'me', 'registry-password': 'pw' }

describe('which registry registry-username/-password belong to', () => {
  it.each<[string, RawOptions, string | undefined]>([
    ['1: the registry input, as host', { registry: 'ghcr.io' }, 'ghcr.io'],
    [
      '2: the registry input, upper-case with scheme and path',
      { registry: 'HTTPS://GHCR.IO/v2/' },
      'ghcr.io',
    ],
    ['3: Docker Hub by its legacy key', { registry: 'https://index.docker.io/v1/' }, 'docker.io'],
    ['4: Docker Hub by its API host', { registry: 'registry-1.docker.io' }, 'docker.io'],
    ['5: a port', { registry: 'reg.example:5000' }, 'reg.example:5000'],
    [
      '6: no input, both images on one registry',
      { 'base-image': 'docker://ghcr.io/o/a:1', 'head-image': 'ghcr.io/o/a:2' },
      'ghcr.io',
    ],
    [
      '7: no input, Docker Hub spelt two ways is one registry',
      { 'base-image': 'alpine:3', 'head-image': 'docker://index.docker.io/library/alpine:3.20' },
      'docker.io',
    ],
    [
      '8: archives and docker-daemon: images are not pulled, so they do not count',
      {
        'base-image': 'docker-archive:/tmp/base.tar',
        'head-image': 'docker://ghcr.io/o/a:2',
      },
      'ghcr.io',
    ],
    [
      '9: docker-daemon: is never pulled',
      { 'base-image': 'docker-daemon:quay.io/o/a:1', 'head-image': 'docker://ghcr.io/o/a:2' },
      'ghcr.io',
    ],
    [
      '10: no image is pulled: the credentials go nowhere',
      { 'base-image': 'oci:/tmp/layout', 'head-image': 'docker-archive:/tmp/pr.tar' },
      undefined,
    ],
    [
      '11: the input wins over where the images are',
      { registry: 'quay.io', 'base-image': 'ghcr.io/o/a:1', 'head-image': 'docker.io/o/a:2' },
      'quay.io',
    ],
    [
      '12: a loopback registry may be insecure',
      { registry: '127.0.0.1:5001', 'insecure-registries': '127.0.0.1:5001' },
      '127.0.0.1:5001',
    ],
  ])('%s', (_name, raw, expected) => {
    expect(bind({ 'head-image': 'oci:/tmp/x', ...login, ...raw })).toBe(expected)
  })

  it('13: images on two registries without the registry input: one input error naming it', () => {
    const problems = bind({
      ...login,
      'base-image': 'docker://ghcr.io/o/a:1',
      'head-image': '127.0.0.1:5001/o/a:2',
    })
    expect(problems).toEqual([
      'Input "registry" has the value ""; expected the registry that registry-username and registry-password are for, because the images are on several registries (ghcr.io, 127.0.0.1:5001) and credentials are sent to one only.',
    ])
  })

  it('14: without credentials, images may be on as many registries as they like', () => {
    const options = parseOptions({ 'base-image': 'ghcr.io/o/a:1', 'head-image': 'quay.io/o/a:2' })
    expect(options.credentials).toEqual({
      username: undefined,
      password: undefined,
      registry: undefined,
    })
  })

  it.each<[string, RawOptions, RegExp]>([
    ['15: registry without credentials', { registry: 'ghcr.io' }, /only with registry-username/],
    [
      '16: not a host',
      { ...login, registry: 'ghcr.io org' },
      /^Input "registry" has the value "ghcr.io org"; expected a registry host such as ghcr.io/,
    ],
    [
      '17: credentials over plain HTTP to a non-loopback registry',
      { ...login, registry: 'registry:5000', 'insecure-registries': 'registry:5000' },
      /registry:5000 is listed in insecure-registries, and credentials are never sent over plain HTTP/,
    ],
    [
      '18: the same when the images name it',
      {
        ...login,
        'head-image': 'docker://registry:5000/a:1',
        'insecure-registries': 'registry:5000',
      },
      /registry:5000 is listed in insecure-registries/,
    ],
  ])('%s: one input error', (_name, raw, message) => {
    const problems = bind({ 'head-image': 'oci:/tmp/x', ...raw })
    expect(problems).toEqual([expect.stringMatching(message)])
  })
})

describe('normalizeRegistry', () => {
  it.each([
    ['docker.io', 'docker.io'],
    ['index.docker.io', 'docker.io'],
    ['https://index.docker.io/v1/', 'docker.io'],
    ['http://LocalHost:5000', 'localhost:5000'],
    ['[::1]:5000', '[::1]:5000'],
    ['ghcr.io.evil.example', 'ghcr.io.evil.example'],
    ['', undefined],
    ['user@ghcr.io', undefined],
  ])('%s → %s', (text, expected) => {
    expect(normalizeRegistry(text)).toBe(expected)
  })
})
