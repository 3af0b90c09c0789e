/**
 * A row of block characters, one per value, for a terminal: `▁▂▄█`. The lowest value is the
 * lowest block and the highest the highest; equal values (or a single one) sit in the middle.
 * Missing values (undefined) print as a space, so gaps in a history stay visible.
 */
const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█']

export function sparkline(values: ReadonlyArray<number | undefined>): string {
  const known = values.filter((v): v is number => v !== undefined && Number.isFinite(v))
  if (known.length === 0) return ' '.repeat(values.length)
  const low = Math.min(...known)
  const span = Math.max(...known) - low
  return values
    .map((v) => {
      if (v === undefined || !Number.isFinite(v)) return ' '
      if (span === 0) return BLOCKS[3]
      return BLOCKS[Math.round(((v - low) / span) * (BLOCKS.length - 1))]
    })
    .join('')
}
