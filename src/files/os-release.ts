/**
 * Which distribution an image is, from its os-release file
 * (https://www.freedesktop.org/software/systemd/man/latest/os-release.html) or Alpine's
 * `/etc/alpine-release`. The text comes from the image: it is parsed, never executed.
 */
import type { OsRelease } from '../model/files.js'

/** The files to read, first found wins (`/etc/os-release` is often a symlink to the second) */
export const OS_RELEASE_FILES = ['/etc/os-release', '/usr/lib/os-release', '/etc/alpine-release']

/** An os-release value: unquoted, or in single or double quotes with `\` escapes. */
function unquote(raw: string): string {
  const value = raw.trim()
  const quote = value[0]
  if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
    const inner = value.slice(1, -1)
    return quote === '"' ? inner.replace(/\\(.)/g, '$1') : inner
  }
  return value
}

/** The `KEY=value` assignments of an os-release file. */
export function parseOsRelease(text: string): OsRelease | null {
  const fields = new Map<string, string>()
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([A-Z][A-Z0-9_]*)=(.*)$/.exec(line)
    if (match) fields.set(match[1], unquote(match[2]))
  }
  const id = fields.get('ID')
  if (id === undefined || id === '') return null
  return {
    id: id.toLowerCase(),
    versionId: fields.get('VERSION_ID') || null,
    prettyName: fields.get('PRETTY_NAME') || null,
  }
}

/** What `/etc/alpine-release` (one line: `3.20.3`) says. */
export function parseAlpineRelease(text: string): OsRelease {
  const version = text.split(/\r?\n/)[0].trim()
  return { id: 'alpine', versionId: version === '' ? null : version, prettyName: null }
}

/** The release of an image whose visible captured texts are `texts` (path → text). */
export function readOsRelease(texts: ReadonlyMap<string, string>): OsRelease | null {
  for (const path of OS_RELEASE_FILES) {
    const text = texts.get(path)
    if (text === undefined) continue
    const release = path === '/etc/alpine-release' ? parseAlpineRelease(text) : parseOsRelease(text)
    if (release) return release
  }
  return null
}
