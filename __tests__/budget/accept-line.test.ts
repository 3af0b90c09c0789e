import { describe, expect, it } from '@jest/globals'
import { parseAcceptLine } from '../../src/budget/accept-line.js'

describe('parseAcceptLine', () => {
  it.each([
    [1, 'image-size-gate: accept +40MB', { bytes: 40_000_000 }, '+40MB'],
    [2, 'Adds the PDF renderer.\n\nimage-size-gate: accept +5%\n', { percent: 5 }, '+5%'],
    [3, 'IMAGE-SIZE-GATE: Accept +1.5 GiB', { bytes: 1.5 * 1024 ** 3 }, '+1.5GiB'],
    [4, 'image-size-gate:accept +300kB  \r\nthanks', { bytes: 300_000 }, '+300kB'],
    [5, '   image-size-gate: accept + 2MB', { bytes: 2_000_000 }, '+2MB'],
    [6, 'image-size-gate: accept +1048576', { bytes: 1_048_576 }, '+1048576'],
    [7, 'image-size-gate: accept +100%', { percent: 100 }, '+100%'],
    [8, 'image-size-gate: accept +0.5%', { percent: 0.5 }, '+0.5%'],
  ])('%i: %j accepts %j', (_n, body, amount, text) => {
    expect(parseAcceptLine(body)).toEqual({ kind: 'line', amount, text })
  })

  it.each([
    [1, ''],
    [2, 'No acceptance here. image-size-gate: accept +40MB is how to write it'],
    [3, '> image-size-gate: accept +40MB'],
    [4, '    image-size-gate: accept +40MB'],
    [5, '<!-- image-size-gate: accept +40MB -->'],
    [6, '<!--\nTo accept an increase:\nimage-size-gate: accept +40MB\n-->'],
    [7, '```\nimage-size-gate: accept +40MB\n```'],
    [8, '~~~~md\nimage-size-gate: accept +1GB\n~~~\nstill fenced\n~~~~'],
    [9, '- image-size-gate: accept +40MB'],
    [10, 'image-size-gate-accept +40MB'],
    [11, '<!-- unterminated comment\nimage-size-gate: accept +40MB'],
  ])('%i: no line a reader sees in %j', (_n, body) => {
    expect(parseAcceptLine(body)).toEqual({ kind: 'none' })
  })

  it.each([
    [1, 'image-size-gate: accept 40MB', /\+40MB/],
    [2, 'image-size-gate: accept +40MB please', /nothing after it/],
    [3, 'image-size-gate: accept +40MB,5%', /nothing after it/],
    [4, 'image-size-gate: accept', /\+40MB/],
    [5, 'image-size-gate: accept -40MB', /\+40MB/],
    [6, 'image-size-gate: accept +40 parsecs', /\+40MB/],
    [7, 'image-size-gate: accept +150%', /at most 100%/],
    [8, 'image-size-gate: accept +0%', /above 0%/],
    [9, 'image-size-gate: accept +0MB', /above zero/],
    [10, 'image-size-gate: accept +1e9', /\+40MB/],
    [11, 'image-size-gate: accept +99999999999999999999 TB', /\+40MB/],
    [12, 'image-size-gate: accept +40MB\nimage-size-gate: accept +1MB', /2 acceptance lines/],
    [13, 'image-size-gate: accept +40MB\nimage-size-gate: accept +40MB', /write exactly one/],
    [14, 'image-size-gate: accept +40MB <img src=x onerror=alert(1)>', /nothing after it/],
    [15, 'image-size-gate: accept +４０MB', /\+40MB/],
  ])('%i: %j is a line that cannot be used', (_n, body, reason) => {
    const line = parseAcceptLine(body)
    expect(line.kind).toBe('invalid')
    expect(line.kind === 'invalid' && line.reason).toMatch(reason)
  })

  it('reads only the first 65,536 characters (GitHub caps a PR body there)', () => {
    const body = `${'x'.repeat(65_536)}\nimage-size-gate: accept +40MB`
    expect(parseAcceptLine(body)).toEqual({ kind: 'none' })
  })

  it('a line after a fenced block that is closed is read', () => {
    const body = '```sh\nimage-size-gate: accept +1GB\n```\nimage-size-gate: accept +3MB'
    expect(parseAcceptLine(body)).toEqual({
      kind: 'line',
      amount: { bytes: 3_000_000 },
      text: '+3MB',
    })
  })
})
