import { describe, expect, it } from '@jest/globals'
import type { ArchiveContents, ArchiveImage } from '../../../src/sources/archive/types.js'
import { selectArchiveImage } from '../../../src/sources/archive/choose-archive-image.js'
import { ImageNotFoundError } from '../../../src/sources/errors.js'
import { runnerPlatform } from '../../../src/model/platform.js'
import { parseSourceRef } from '../../../src/model/reference.js'
import { UserError } from '../../../src/util/errors.js'

function image(name: Partial<ArchiveImage>, architecture?: string): ArchiveImage {
  return {
    config: { rootfs: { diff_ids: [] } },
    repoTags: [],
    layers: [],
    ...(architecture ? { platform: { os: 'linux', architecture } } : {}),
    ...name,
  }
}
const contents = (...images: ArchiveImage[]): ArchiveContents => ({
  format: 'oci-archive',
  images,
  notes: [],
})
const runner = runnerPlatform().architecture

describe('selectArchiveImage', () => {
  it('1: one image is the image, whatever its platform', () => {
    const only = image({ repoTags: ['app:1'] }, 'riscv64')
    expect(selectArchiveImage(contents(only), 'x')).toBe(only)
  })

  it('2: several differently named images need a name, and the message lists them', () => {
    const archive = contents(
      image({ repoTags: ['qa/app:base'] }),
      image({ repoTags: ['qa/app:pr'] }),
    )
    expect(() => selectArchiveImage(archive, 'docker-archive:both.tar')).toThrow(UserError)
    expect(() => selectArchiveImage(archive, 'docker-archive:both.tar')).toThrow(
      'docker-archive:both.tar holds 2 images (qa/app:base, qa/app:pr); name the one to compare: docker-archive:both.tar:NAME',
    )
    expect(selectArchiveImage(archive, 'x', { name: 'qa/app:pr' }).repoTags).toEqual(['qa/app:pr'])
    expect(selectArchiveImage(archive, 'x', { name: 'docker.io/qa/app:pr' }).repoTags).toEqual([
      'qa/app:pr',
    ])
  })

  it('3: an unknown name is not found, listing the names there are', () => {
    const archive = contents(image({ refName: 'base' }), image({ refName: 'pr' }))
    expect(() => selectArchiveImage(archive, 'oci:lay', { name: 'main' })).toThrow(
      ImageNotFoundError,
    )
    expect(() => selectArchiveImage(archive, 'oci:lay', { name: 'main' })).toThrow(
      'it has base, pr',
    )
  })

  it('4: several platforms of one image: the runner’s by default, never simply the first', () => {
    const other = runner === 'arm64' ? 'amd64' : 'arm64'
    const archive = contents(image({ refName: 'v1' }, other), image({ refName: 'v1' }, runner))
    expect(selectArchiveImage(archive, 'x').platform?.architecture).toBe(runner)
    expect(
      selectArchiveImage(archive, 'x', { platform: { os: 'linux', architecture: other } }).platform
        ?.architecture,
    ).toBe(other)
  })

  it('5: a platform the archive lacks is not found (a base without it has no baseline)', () => {
    const archive = contents(image({}, 'amd64'), image({}, 'arm64'))
    expect(() =>
      selectArchiveImage(archive, 'x', { platform: { os: 'linux', architecture: 's390x' } }),
    ).toThrow('x has no image for linux/s390x; it has linux/amd64, linux/arm64')
  })
})

describe('archive references', () => {
  it.each([
    [
      1,
      'docker-archive:/tmp/both.tar:qa/app:pr',
      { transport: 'docker-archive', path: '/tmp/both.tar', ref: 'qa/app:pr' },
    ],
    [2, 'oci-archive:out.tar:v1', { transport: 'oci-archive', path: 'out.tar', ref: 'v1' }],
    [3, 'oci:/tmp/lay:base', { transport: 'oci', path: '/tmp/lay', ref: 'base' }],
  ])('%i: %s names one image of the archive, as in skopeo', (_n, text, expected) => {
    expect(parseSourceRef(text)).toEqual(expected)
  })
})
