import { describe, expect, it } from '@jest/globals'
import { compareApkVersions } from '../src/files/packages/apk.js'
import { compareDebianVersions } from '../src/files/packages/dpkg.js'
import { compareSemver } from '../src/files/packages/npm.js'
import { comparePep440 } from '../src/files/packages/python.js'

type Order = (a: string, b: string) => number | undefined

/** Checks `a < b` both ways round, and that each equals itself */
function expectBefore(order: Order, a: string, b: string) {
  expect(order(a, b)).toBe(-1)
  expect(order(b, a)).toBe(1)
  expect(order(a, a)).toBe(0)
}

describe('Debian version ordering (deb-version(7))', () => {
  it.each([
    [1, '1.0~rc1', '1.0'],
    [2, '2.0', '1:0.9'],
    [3, '1.0~~', '1.0~'],
    [4, '1.0~', '1.0'],
    [5, '1.0', '1.0a'],
    [6, '1.0a', '1.0+'], // letters before non-letters
    [7, '1.0', '1.0.1'],
    [8, '1.2.13.dfsg-1', '1:1.2.13.dfsg-1'],
    [9, '2.36-9+deb12u9', '2.36-9+deb12u14'],
    [10, '3.0.15-1~deb12u1', '3.0.15-1'],
    [11, '1.0-1', '1.0-1.1'],
    [12, '9', '10'],
    [13, '1.0-9', '1.0-10'],
    [14, '1.0', '1.0-0.1'],
    [15, '1.99999999999999999999', '1.100000000000000000000'],
  ])('%i: %s < %s', (_n, a, b) => expectBefore(compareDebianVersions, a, b))

  it('equal in order though written differently; not ordered when not a version', () => {
    expect(compareDebianVersions('0:1.0', '1.0')).toBe(0)
    expect(compareDebianVersions('1.01', '1.1')).toBe(0)
    expect(compareDebianVersions('x:1.0', '1.0')).toBeUndefined()
    expect(compareDebianVersions('', '1.0')).toBeUndefined()
    expect(compareDebianVersions('abc', '1.0')).toBeUndefined()
  })
})

describe('apk version ordering (apk-tools version.c)', () => {
  it.each([
    [1, '1.2.3-r1', '1.2.3-r10'],
    [2, '1.2.3-r9', '1.2.4-r0'],
    [3, '1.2.3_rc1', '1.2.3'],
    [4, '1.2.3_alpha', '1.2.3_beta'],
    [5, '1.2.3_beta2', '1.2.3_pre1'],
    [6, '1.2.3', '1.2.3_p1'],
    [7, '1.2.3_p1', '1.2.3a'],
    [8, '1.2.3', '1.2.3.1'],
    [9, '1.2.3', '1.2.3-r0'],
    [10, '1.36.1-r29', '1.37.0-r0'],
    [11, '1.2.3_git20240101', '1.2.3_p0'],
  ])('%i: %s < %s', (_n, a, b) => expectBefore(compareApkVersions, a, b))

  it('not ordered when not an apk version', () => {
    expect(compareApkVersions('1.2.3_unknown1', '1.2.3')).toBeUndefined()
    expect(compareApkVersions('latest', '1.2.3')).toBeUndefined()
  })
})

describe('PEP 440 ordering', () => {
  it.each([
    [1, '1.0rc1', '1.0'],
    [2, '1.0', '1.0.post1'],
    [3, '1.0.dev1', '1.0a1'],
    [4, '1.0a1', '1.0b1'],
    [5, '1.0b2', '1.0rc1'],
    [6, '1.0rc1.dev1', '1.0rc1'],
    [7, '1.0.post1.dev1', '1.0.post1'],
    [8, '1.0.post1', '1.0.1'],
    [9, '1.9', '1.10'],
    [10, '2.0', '1!1.0'],
    [11, '1.0', '1.0+local.1'],
    [12, '1.0+abc', '1.0+1'],
    [13, '6.0', '6.0.1'],
  ])('%i: %s < %s', (_n, a, b) => expectBefore(comparePep440, a, b))

  it('normalised forms are equal; junk is not ordered', () => {
    expect(comparePep440('1.0', '1.0.0')).toBe(0)
    expect(comparePep440('1.0RC1', '1.0rc1')).toBe(0)
    expect(comparePep440('1.0-1', '1.0.post1')).toBe(0)
    expect(comparePep440('v1.0', '1.0')).toBe(0)
    expect(comparePep440('1.0-foo', '1.0')).toBeUndefined()
  })
})

describe('semver precedence', () => {
  it.each([
    [1, '1.0.0-alpha', '1.0.0'],
    [2, '1.0.0-alpha', '1.0.0-alpha.1'],
    [3, '1.0.0-alpha.1', '1.0.0-alpha.beta'],
    [4, '1.0.0-alpha.beta', '1.0.0-beta'],
    [5, '1.0.0-beta.2', '1.0.0-beta.11'],
    [6, '1.0.0-rc.1', '1.0.0'],
    [7, '1.9.0', '1.10.0'],
    [8, '2.1.3', '10.0.0'],
  ])('%i: %s < %s', (_n, a, b) => expectBefore(compareSemver, a, b))

  it('build metadata does not order; non-semver is not ordered', () => {
    expect(compareSemver('1.0.0+build.1', '1.0.0+build.2')).toBe(0)
    expect(compareSemver('1.0', '1.0.0')).toBeUndefined()
    expect(compareSemver('latest', '1.0.0')).toBeUndefined()
  })
})
