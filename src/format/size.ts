/**
 * Byte counts and changes as reviewers read them: decimal units (kB, MB, GB, TB, powers of
 * 1000) as `docker images` prints them. Parsing sizes users write stays with the budget.
 */

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
