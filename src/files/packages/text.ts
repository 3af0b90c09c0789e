/**
 * Small helpers the package database parsers share: line splitting that tolerates CRLF, and
 * numeric comparison of digit runs of any length (versions like `20240101000000` overflow
 * nothing, leading zeros count for nothing).
 */

/** The lines of `text`, without their `\n` or `\r\n` ends. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (line.endsWith('\r')) lines[i] = line.slice(0, -1)
  }
  return lines
}

/** -1, 0 or 1 comparing two runs of ASCII digits as numbers (empty is 0). */
export function compareDigits(a: string, b: string): number {
  let i = 0
  while (i < a.length && a.charCodeAt(i) === 48) i++
  let j = 0
  while (j < b.length && b.charCodeAt(j) === 48) j++
  const lengthA = a.length - i
  const lengthB = b.length - j
  if (lengthA !== lengthB) return lengthA < lengthB ? -1 : 1
  for (; i < a.length; i++, j++) {
    const d = a.charCodeAt(i) - b.charCodeAt(j)
    if (d !== 0) return d < 0 ? -1 : 1
  }
  return 0
}

/** -1, 0 or 1: the sign of `n`. */
export function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0
}

/** Versions longer than this are not ordered (they are not real versions; keeps work bounded). */
export const MAX_ORDERED_VERSION_LENGTH = 256

/** A non-negative integer byte count from `value`, or null when it is not one. */
export function parseCount(value: string | undefined): number | null {
  if (value === undefined) return null
  const trimmed = value.trim()
  if (!/^\d{1,15}$/.test(trimmed)) return null
  return Number(trimmed)
}
