/**
 * apk: the installed packages of Alpine's `/lib/apk/db/installed`, and apk's version ordering.
 * Format: https://wiki.alpinelinux.org/wiki/Apk_spec#Installed_Database_V2 (one `X:value`
 * line per field, a blank line between packages); ordering: apk-tools src/version.c.
 */
import type { PackageRecord, ViewFile } from '../../model/files.js'
import type { DatabaseText } from './index.js'
import { compareDigits, MAX_ORDERED_VERSION_LENGTH, parseCount, sign, splitLines } from './text.js'

/**
 * The installed database: `/lib/apk/db/installed`, or under usrmerge (Wolfi, apk-tools 3)
 * `/usr/lib/apk/db/installed`; apk uses the `/lib` one when it exists, and so do we.
 */
export const APK_INSTALLED = ['/lib/apk/db/installed', '/usr/lib/apk/db/installed']

export function isApkDatabase(path: string): boolean {
  return APK_INSTALLED.includes(path)
}

interface ApkEntry {
  name?: string
  version?: string
  installed?: string
  /** The lowest layer that wrote a visible file of the package (its `F:`/`R:` lines) */
  fileLayer?: number
}

function toRecord(entry: ApkEntry, db: DatabaseText): PackageRecord | undefined {
  if (entry.name === undefined || entry.name === '' || entry.version === undefined) return undefined
  if (entry.version === '') return undefined
  return {
    manager: 'apk',
    name: entry.name,
    version: entry.version,
    bytes: parseCount(entry.installed),
    path: db.path,
    layer: entry.fileLayer ?? db.layer,
  }
}

/**
 * The packages an apk database lists. Each one's layer is the lowest layer that wrote one of
 * its visible files (the install; a later layer that only overwrote a file does not move it),
 * else the database's layer.
 */
export function readApk(db: DatabaseText, view: ReadonlyMap<string, ViewFile>): PackageRecord[] {
  const packages: PackageRecord[] = []
  let entry: ApkEntry = {}
  let folder = ''
  const finish = () => {
    const record = toRecord(entry, db)
    if (record !== undefined) packages.push(record)
    entry = {}
    folder = ''
  }
  for (const line of splitLines(db.text)) {
    if (line === '') {
      finish()
      continue
    }
    if (line.length < 2 || line.charCodeAt(1) !== 58) continue // not `X:`
    const value = line.slice(2)
    switch (line[0]) {
      case 'P':
        entry.name = value
        break
      case 'V':
        entry.version = value
        break
      case 'I':
        entry.installed = value
        break
      case 'F':
        folder = value
        break
      case 'R': {
        const file = view.get(folder === '' ? `/${value}` : `/${folder}/${value}`)
        if (file !== undefined && (entry.fileLayer === undefined || file.layer < entry.fileLayer))
          entry.fileLayer = file.layer
        break
      }
    }
  }
  finish()
  return packages
}

/** apk's suffixes in order; the first four are pre-releases (they sort before no suffix) */
const SUFFIXES = ['alpha', 'beta', 'pre', 'rc', 'cvs', 'svn', 'git', 'hg', 'p']
const PRE_RELEASES = 4

interface ApkVersion {
  numbers: string[]
  letter: string
  /** [rank, number]: rank < 0 pre-release, > 0 post-release */
  suffixes: Array<[number, string]>
  /** undefined without `-rN` (apk puts `1.0` before `1.0-r0`) */
  revision: string | undefined
}

const APK_VERSION = /^(\d+(?:\.\d+)*)([a-z]?)((?:_[a-z]+\d*)*)(?:~[0-9a-f]+)?(?:-r(\d+))?$/

function parseApkVersion(version: string): ApkVersion | undefined {
  if (version.length > MAX_ORDERED_VERSION_LENGTH) return undefined
  const match = APK_VERSION.exec(version)
  if (match === null) return undefined
  const suffixes: Array<[number, string]> = []
  for (const part of match[3].split('_').slice(1)) {
    const [, word, number] = /^([a-z]+)(\d*)$/.exec(part) ?? []
    const index = SUFFIXES.indexOf(word ?? '')
    if (index < 0) return undefined
    suffixes.push([index < PRE_RELEASES ? index - PRE_RELEASES : index - PRE_RELEASES + 1, number])
  }
  return { numbers: match[1].split('.'), letter: match[2], suffixes, revision: match[4] }
}

function compareNumbers(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareDigits(a[i], b[i])
    if (c !== 0) return c
  }
  return sign(a.length - b.length) // more components is later: 1.2 < 1.2.1
}

function compareSuffixes(a: Array<[number, string]>, b: Array<[number, string]>): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const [rankA, numberA] = a[i] ?? [0, '']
    const [rankB, numberB] = b[i] ?? [0, '']
    if (rankA !== rankB) return sign(rankA - rankB)
    const c = compareDigits(numberA, numberB)
    if (c !== 0) return c
  }
  return 0
}

/** apk's ordering of two versions: -1, 0, 1, or undefined when either is not an apk version. */
export function compareApkVersions(a: string, b: string): number | undefined {
  const left = parseApkVersion(a)
  const right = parseApkVersion(b)
  if (left === undefined || right === undefined) return undefined
  const numbers = compareNumbers(left.numbers, right.numbers)
  if (numbers !== 0) return numbers
  if (left.letter !== right.letter) return left.letter < right.letter ? -1 : 1
  const suffixes = compareSuffixes(left.suffixes, right.suffixes)
  if (suffixes !== 0) return suffixes
  const revA = left.revision
  const revB = right.revision
  if (revA === undefined || revB === undefined)
    return sign(Number(revA !== undefined) - Number(revB !== undefined))
  return compareDigits(revA, revB)
}
