/**
 * Byte sizes as users write them in workflow files (formatting them: format/size.ts).
 * Decimal units (kB, MB, GB, TB) are powers of 1000, as `docker images` prints them;
 * binary units (KiB, MiB, GiB, TiB) are powers of 1024.
 */

const UNITS: Record<string, number> = {
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  t: 1e12,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
}

export const SIZE_EXPECTED = 'a size such as 500MB, 1.5GB, 200MiB or 1048576 (bytes)'

/** Parses `500MB`, `1.5 GiB`, `1048576`; returns bytes, or an error text. */
export function parseSize(text: string): { bytes: number } | { error: string } {
  const match = /^([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]*)$/.exec(text.trim())
  if (!match) return { error: SIZE_EXPECTED }
  const unit = UNITS[match[2].toLowerCase() || 'b']
  if (unit === undefined) {
    return { error: `${SIZE_EXPECTED}; unknown unit "${match[2]}"` }
  }
  const bytes = Math.round(Number(match[1]) * unit)
  if (!Number.isSafeInteger(bytes)) return { error: `${SIZE_EXPECTED}; the number is too large` }
  return { bytes }
}

/** An empty value or `off`: the budget is not set. */
export const isOff = (text: string) => text.trim() === '' || text.trim().toLowerCase() === 'off'

/** A size budget: bytes, or nothing when it is off. */
export function parseSizeLimit(text: string): { value?: number } | { error: string } {
  if (isOff(text)) return {}
  const parsed = parseSize(text)
  return 'error' in parsed
    ? { error: parsed.error.replace(SIZE_EXPECTED, `${SIZE_EXPECTED} or "off"`) }
    : { value: parsed.bytes }
}
