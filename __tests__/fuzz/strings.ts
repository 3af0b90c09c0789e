/**
 * Seeded random and adversarial strings for the parser fuzz tests: the same seed gives the same
 * strings, so a failure names its seed and case and can be replayed.
 */

/** mulberry32: a small, fast 32-bit PRNG; `next()` is uniform in [0, 1). */
export function prng(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Values that have broken parsers before: numbers at the edges, spaces, controls, unicode. */
export const ADVERSARIAL = [
  '',
  ' ',
  '\t',
  '\n',
  '\r\n',
  '\0',
  '\u0007',
  '\u001b[31mred\u001b[0m',
  '\u2028',
  '\u00a0',
  '\ufeff',
  '\ud800',
  '😀',
  'é',
  'Ａ',
  '-0',
  '+0',
  '-1',
  '0',
  '00',
  '0x10',
  '0b1',
  '0o7',
  '1e3',
  '1e308',
  '1e309',
  '-1e308',
  'NaN',
  'nan',
  'Infinity',
  '-Infinity',
  '9007199254740993',
  '99999999999999999999999999',
  '9'.repeat(400),
  '0.' + '0'.repeat(400) + '1',
  '1.',
  '.5',
  '1..5',
  '1,5',
  '1_000',
  '1 000',
  '%',
  '100%',
  '101%',
  '-5%',
  'off',
  'OFF',
  'Off ',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'toString',
  '"',
  '""',
  "'",
  '\\',
  '/',
  '//',
  ':',
  '@',
  '@@',
  ',',
  ',,,',
  '=',
  '==',
  '../',
  '../../etc/passwd',
  '${{ secrets.X }}',
  '$(id)',
  '`id`',
  '<script>',
  'a'.repeat(300),
  'x'.repeat(100_000),
]

/** Fragments valid somewhere, mixed with the adversarial ones to get past the first check. */
const FRAGMENTS = [
  '500',
  '1.5',
  'MB',
  'mb',
  'GiB',
  'kb',
  'B',
  'TB',
  'tib',
  '%',
  ',',
  ' ',
  'off',
  'linux',
  '/',
  'amd64',
  'arm64',
  'v8',
  'app',
  'isg',
  'ghcr.io',
  'localhost',
  '127.0.0.1',
  ':5000',
  ':',
  '@',
  'sha256:',
  'a'.repeat(64),
  '0123456789abcdef'.repeat(4),
  'docker://',
  'docker-daemon:',
  'docker-archive:',
  'oci-archive:',
  'oci:',
  '.',
  '-',
  '_',
  '__',
  'KEY',
  '=',
  'VALUE',
  '"',
  '\n',
  '[',
  ']',
  '::1',
]

const pick = <T>(random: () => number, list: readonly T[]): T =>
  list[Math.floor(random() * list.length)]

/** One random code point, from ASCII, controls, Latin, CJK, emoji or a lone surrogate. */
function randomChar(random: () => number): string {
  const r = random()
  if (r < 0.5) return String.fromCharCode(32 + Math.floor(random() * 95))
  if (r < 0.6) return String.fromCharCode(Math.floor(random() * 32))
  if (r < 0.75) return String.fromCharCode(0xa0 + Math.floor(random() * 0x500))
  if (r < 0.85) return String.fromCodePoint(0x4e00 + Math.floor(random() * 0x5000))
  if (r < 0.95) return String.fromCodePoint(0x1f600 + Math.floor(random() * 0x50))
  return String.fromCharCode(0xd800 + Math.floor(random() * 0x800))
}

/** One string: adversarial, random characters, or glued fragments with some noise. */
export function randomString(random: () => number): string {
  const r = random()
  if (r < 0.2) return pick(random, ADVERSARIAL)
  if (r < 0.45) {
    const length = Math.floor(random() * 40)
    return Array.from({ length }, () => randomChar(random)).join('')
  }
  const parts = Math.floor(random() * 6) + 1
  let text = ''
  for (let i = 0; i < parts; i += 1) {
    const s = random()
    text +=
      s < 0.75
        ? pick(random, FRAGMENTS)
        : s < 0.9
          ? randomChar(random)
          : pick(random, ADVERSARIAL).slice(0, 50)
  }
  return text
}

/** `count` strings from `seed`, the adversarial ones first so each is always tried. */
export function strings(seed: number, count: number): string[] {
  const random = prng(seed)
  return [...ADVERSARIAL, ...Array.from({ length: count }, () => randomString(random))]
}
