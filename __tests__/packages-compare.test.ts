import { describe, expect, it } from '@jest/globals'
import type { PackageManager, PackageRecord } from '../src/model/files.js'
import { comparePackages } from '../src/files/packages/index.js'

const pkg = (
  manager: PackageManager,
  name: string,
  version: string,
  bytes: number | null = 100,
): PackageRecord => ({ manager, name, version, bytes, path: `/${name}`, layer: 1 })

describe('comparePackages', () => {
  it('1: added, removed, upgraded, downgraded with each manager’s ordering', () => {
    const base = [
      pkg('dpkg', 'libssl3', '3.0.15-1~deb12u1', 6000),
      pkg('dpkg', 'zlib1g', '1:1.2.13.dfsg-1'),
      pkg('dpkg', 'vim-tiny', '2:9.0.1378-2', 1700),
      pkg('apk', 'musl', '1.2.5-r1'),
      pkg('python', 'requests', '2.32.0rc1'),
      pkg('npm', 'ms', '2.1.3'),
    ]
    const head = [
      pkg('dpkg', 'libssl3', '3.0.15-1', 6100),
      pkg('dpkg', 'zlib1g', '1.3.1-1'), // epoch 0 < 1: a downgrade despite the digits
      pkg('dpkg', 'curl', '7.88.1-10+deb12u12', null),
      pkg('apk', 'musl', '1.2.5-r10'),
      pkg('python', 'requests', '2.32.0'),
      pkg('npm', 'ms', '2.1.3'),
    ]
    expect(comparePackages(base, head)).toEqual([
      {
        manager: 'dpkg',
        name: 'curl',
        change: 'added',
        before: null,
        after: '7.88.1-10+deb12u12',
        bytesBefore: null,
        bytesAfter: null,
      },
      {
        manager: 'dpkg',
        name: 'libssl3',
        change: 'upgraded',
        before: '3.0.15-1~deb12u1',
        after: '3.0.15-1',
        bytesBefore: 6000,
        bytesAfter: 6100,
      },
      {
        manager: 'dpkg',
        name: 'vim-tiny',
        change: 'removed',
        before: '2:9.0.1378-2',
        after: null,
        bytesBefore: 1700,
        bytesAfter: null,
      },
      {
        manager: 'dpkg',
        name: 'zlib1g',
        change: 'downgraded',
        before: '1:1.2.13.dfsg-1',
        after: '1.3.1-1',
        bytesBefore: 100,
        bytesAfter: 100,
      },
      expect.objectContaining({ manager: 'apk', name: 'musl', change: 'upgraded' }),
      expect.objectContaining({ manager: 'python', name: 'requests', change: 'upgraded' }),
    ])
  })

  it('2: versions the manager cannot order, or equal in order but written differently: changed', () => {
    const changes = comparePackages(
      [pkg('npm', 'left-pad', 'github:stevemao/left-pad'), pkg('python', 'six', '1.16')],
      [pkg('npm', 'left-pad', '1.3.0'), pkg('python', 'six', '1.16.0')],
    )
    expect(changes.map((c) => [c.name, c.change])).toEqual([
      ['six', 'changed'],
      ['left-pad', 'changed'],
    ])
  })

  it('3: a name held twice is a set of versions, compared by its highest version', () => {
    const base = [pkg('npm', 'semver', '6.3.1', 10), pkg('npm', 'semver', '7.6.0', 20)]
    expect(comparePackages(base, [...base].reverse())).toEqual([]) // same set, any order
    expect(
      comparePackages(base, [pkg('npm', 'semver', '7.6.3', 30), pkg('npm', 'semver', '6.3.1', 10)]),
    ).toEqual([
      {
        manager: 'npm',
        name: 'semver',
        change: 'upgraded',
        before: '6.3.1, 7.6.0',
        after: '6.3.1, 7.6.3',
        bytesBefore: 30,
        bytesAfter: 40,
      },
    ])
    // one copy of the two removed, the highest unchanged: changed
    expect(comparePackages(base, [pkg('npm', 'semver', '7.6.0', null)])).toEqual([
      {
        manager: 'npm',
        name: 'semver',
        change: 'changed',
        before: '6.3.1, 7.6.0',
        after: '7.6.0',
        bytesBefore: 30,
        bytesAfter: null,
      },
    ])
  })

  it('4: Python names match after PEP 503 normalisation; managers never mix', () => {
    const changes = comparePackages(
      [pkg('python', 'PyYAML', '6.0'), pkg('dpkg', 'ms', '1.0')],
      [pkg('python', 'pyyaml', '6.0.1'), pkg('npm', 'ms', '1.0.0')],
    )
    expect(changes.map((c) => [c.manager, c.name, c.change])).toEqual([
      ['dpkg', 'ms', 'removed'],
      ['python', 'pyyaml', 'upgraded'],
      ['npm', 'ms', 'added'],
    ])
  })

  it('5: without a base there is nothing to compare', () => {
    expect(comparePackages(undefined, [pkg('npm', 'ms', '2.1.3')])).toEqual([])
    expect(comparePackages([], [pkg('npm', 'ms', '2.1.3')])[0].change).toBe('added')
  })
})
