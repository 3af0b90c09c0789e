/**
 * dpkg: the installed packages of `/var/lib/dpkg/status` and of distroless's
 * `/var/lib/dpkg/status.d/*`, and Debian's version ordering.
 * Format: deb-status(5), deb-control(5); ordering: deb-version(7) and dpkg's
 * lib/dpkg/version.c (`verrevcmp`).
 */
import type { PackageRecord, ViewFile } from '../../model/files.js'
import type { DatabaseText } from './index.js'
import { compareDigits, MAX_ORDERED_VERSION_LENGTH, parseCount, sign, splitLines } from './text.js'

export const DPKG_STATUS = '/var/lib/dpkg/status'
const STATUS_D = '/var/lib/dpkg/status.d/'

/** Whether `path` is a dpkg database this module reads (status.d's `*.md5sums` are not). */
export function isDpkgDatabase(path: string): boolean {
  if (path === DPKG_STATUS) return true
  if (!path.startsWith(STATUS_D)) return false
  const name = path.slice(STATUS_D.length)
  return name.length > 0 && !name.includes('/') && !name.endsWith('.md5sums')
}

/** The fields of one stanza this module needs (names lower-cased, as dpkg matches them) */
type Stanza = Map<string, string>
const WANTED = new Set(['package', 'status', 'version', 'installed-size', 'architecture'])

/** Every stanza of a deb822 text; continuation lines are skipped (no wanted field spans lines). */
function readStanzas(text: string): Stanza[] {
  const stanzas: Stanza[] = []
  let current: Stanza | undefined
  for (const line of splitLines(text)) {
    if (line.trim() === '') {
      current = undefined
      continue
    }
    const first = line.charCodeAt(0)
    if (first === 32 || first === 9 || first === 35) continue // continuation or comment
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    const field = line.slice(0, colon).toLowerCase()
    if (!WANTED.has(field)) continue
    if (current === undefined) {
      current = new Map()
      stanzas.push(current)
    }
    current.set(field, line.slice(colon + 1).trim())
  }
  return stanzas
}

/**
 * Installed: `Status: install ok installed`, or `hold ok installed` (an `apt-mark hold`
 * package is installed too); words separated by any blanks. A distroless status.d stanza has
 * no Status field at all: it is installed.
 */
function isInstalled(stanza: Stanza, statusD: boolean): boolean {
  const status = stanza.get('status')
  if (status === undefined) return statusD
  const [want, flag, state, extra] = status.split(/\s+/)
  return (
    (want === 'install' || want === 'hold') &&
    flag === 'ok' &&
    state === 'installed' &&
    extra === undefined
  )
}

/** The layer that wrote the visible `info/<name>.list` (or `<name>:<arch>.list`): the install. */
function installLayer(
  view: ReadonlyMap<string, ViewFile>,
  name: string,
  arch: string | undefined,
): number | undefined {
  const info = '/var/lib/dpkg/info/'
  const plain = view.get(`${info}${name}.list`)
  if (plain !== undefined) return plain.layer
  if (arch === undefined) return undefined
  return view.get(`${info}${name}:${arch}.list`)?.layer
}

/** The installed packages a dpkg database text lists. */
export function readDpkg(db: DatabaseText, view: ReadonlyMap<string, ViewFile>): PackageRecord[] {
  const statusD = db.path !== DPKG_STATUS
  const packages: PackageRecord[] = []
  for (const stanza of readStanzas(db.text)) {
    const name = stanza.get('package')
    const version = stanza.get('version')
    if (name === undefined || name === '' || version === undefined || version === '') continue
    if (!isInstalled(stanza, statusD)) continue
    const kib = parseCount(stanza.get('installed-size'))
    packages.push({
      manager: 'dpkg',
      name,
      version,
      bytes: kib === null ? null : kib * 1024,
      path: db.path,
      layer: installLayer(view, name, stanza.get('architecture')) ?? db.layer,
    })
  }
  return packages
}

interface DebianVersion {
  epoch: string
  upstream: string
  revision: string
}

function parseDebianVersion(version: string): DebianVersion | undefined {
  const text = version.trim()
  if (text === '' || text.length > MAX_ORDERED_VERSION_LENGTH || /\s/.test(text)) return undefined
  const colon = text.indexOf(':')
  const epoch = colon >= 0 ? text.slice(0, colon) : '0'
  if (!/^\d+$/.test(epoch)) return undefined
  const rest = text.slice(colon + 1)
  const hyphen = rest.lastIndexOf('-')
  const upstream = hyphen >= 0 ? rest.slice(0, hyphen) : rest
  if (upstream === '' || !/^\d/.test(upstream)) return undefined
  return { epoch, upstream, revision: hyphen >= 0 ? rest.slice(hyphen + 1) : '' }
}

const isDigit = (c: number) => c >= 48 && c <= 57
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122)

/** dpkg's `order()`: `~` before the end, the end before letters, letters before the rest. */
function order(c: number): number {
  if (Number.isNaN(c) || isDigit(c)) return 0
  if (isLetter(c)) return c
  if (c === 126) return -1
  return c + 256
}

/** dpkg's `verrevcmp`: alternating non-digit runs (by `order`) and digit runs (by value). */
function compareVersionPart(a: string, b: string): number {
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    while (
      (i < a.length && !isDigit(a.charCodeAt(i))) ||
      (j < b.length && !isDigit(b.charCodeAt(j)))
    ) {
      const ac = order(a.charCodeAt(i))
      const bc = order(b.charCodeAt(j))
      if (ac !== bc) return sign(ac - bc)
      i++
      j++
    }
    const startA = i
    while (i < a.length && isDigit(a.charCodeAt(i))) i++
    const startB = j
    while (j < b.length && isDigit(b.charCodeAt(j))) j++
    const digits = compareDigits(a.slice(startA, i), b.slice(startB, j))
    if (digits !== 0) return digits
  }
  return 0
}

/** Debian's ordering of two versions: -1, 0, 1, or undefined when either is not a version. */
export function compareDebianVersions(a: string, b: string): number | undefined {
  const left = parseDebianVersion(a)
  const right = parseDebianVersion(b)
  if (left === undefined || right === undefined) return undefined
  return (
    compareDigits(left.epoch, right.epoch) ||
    compareVersionPart(left.upstream, right.upstream) ||
    compareVersionPart(left.revision, right.revision)
  )
}
