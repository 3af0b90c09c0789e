/**
 * Byte sizes as users write them in workflow files, and as reviewers read them.
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

const DECIMAL = ['B', 'kB', 'MB', 'GB', 'TB']

/** `12.3 MB`: decimal units, like the Docker CLI, three significant digits. */
export function formatBytes(bytes: number): string {
  const sign = bytes < 0 ? '-' : ''
  let value = Math.abs(bytes)
  let unit = 0
  while (value >= 1000 && unit < DECIMAL.length - 1) {
    value /= 1000
    unit++
  }
  if (unit === 0) return `${sign}${value} B`
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2
  return `${sign}${value.toFixed(digits)} ${DECIMAL[unit]}`
}

/** `+1.20 MB` / `-300 B` / `0 B`: a signed change. */
export function formatDelta(bytes: number): string {
  return bytes > 0 ? `+${formatBytes(bytes)}` : formatBytes(bytes)
}

/** `+4.2%`; undefined percent (no baseline, or a zero base) prints as an em dash. */
export function formatPercent(percent: number | undefined): string {
  if (percent === undefined || !Number.isFinite(percent)) return '—'
  const rounded = Math.abs(percent) >= 10 ? percent.toFixed(0) : percent.toFixed(1)
  return percent > 0 ? `+${rounded}%` : `${rounded}%`
}
