import { describe, expect, it } from '@jest/globals'
import { parseDockerReference, parseSourceRef } from '../../src/model/reference.js'

const digest = `sha256:${'ab'.repeat(32)}`

describe('parseDockerReference', () => {
  it.each([
    [1, 'app', { registry: 'docker.io', repository: 'library/app', tag: 'latest' }],
    [2, 'app:1.2', { registry: 'docker.io', repository: 'library/app', tag: '1.2' }],
    [3, 'org/app:pr-7', { registry: 'docker.io', repository: 'org/app', tag: 'pr-7' }],
    [4, 'ghcr.io/org/app:pr-7', { registry: 'ghcr.io', repository: 'org/app', tag: 'pr-7' }],
    [5, 'localhost:5000/app', { registry: 'localhost:5000', repository: 'app', tag: 'latest' }],
    [6, `app@${digest}`, { registry: 'docker.io', repository: 'library/app', digest }],
    [
      7,
      `127.0.0.1:5000/a/b:c@${digest}`,
      { registry: '127.0.0.1:5000', repository: 'a/b', tag: 'c', digest },
    ],
    [
      8,
      'index.docker.io/library/app:1',
      { registry: 'docker.io', repository: 'library/app', tag: '1' },
    ],
  ])('%i: %s', (_n, text, expected) => {
    expect(parseDockerReference(text)).toEqual(expected)
  })

  it.each([
    [1, ''],
    [2, 'App:1'],
    [3, 'app:'],
    [4, 'app@sha256:short'],
    [5, 'app:bad tag'],
    [6, 'a//b'],
  ])('%i: %j is not a reference', (_n, text) => {
    expect(parseDockerReference(text)).toHaveProperty('error')
  })
})

describe('parseSourceRef', () => {
  it.each([
    [1, 'app:1', { transport: 'engine', reference: 'app:1', pull: true }],
    [2, 'docker-daemon:app:1', { transport: 'engine', reference: 'app:1', pull: false }],
    [3, 'docker://ghcr.io/o/app:1', { transport: 'registry', reference: 'ghcr.io/o/app:1' }],
    [4, 'docker-archive:/tmp/a.tar', { transport: 'docker-archive', path: '/tmp/a.tar' }],
    [5, 'oci-archive:out/app.tar', { transport: 'oci-archive', path: 'out/app.tar' }],
    [6, 'oci:/tmp/layout', { transport: 'oci', path: '/tmp/layout' }],
    [7, 'oci:/tmp/layout:v1', { transport: 'oci', path: '/tmp/layout', ref: 'v1' }],
  ])('%i: %s', (_n, text, expected) => {
    expect(parseSourceRef(text)).toEqual(expected)
  })

  it.each([
    [1, 'docker:ghcr.io/o/app'],
    [2, 'docker-archive:'],
    [3, 'NOT A REF'],
    [4, 'docker://'],
  ])('%i: %j is rejected', (_n, text) => {
    expect(parseSourceRef(text)).toHaveProperty('error')
  })
})
