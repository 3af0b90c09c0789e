import { describe, expect, test } from '@jest/globals'
import { CHECK_SUMMARY_MAX_CHARS, checkRunSummary } from '../../src/github/check-run.js'
import { contentHashLine } from '../../src/github/publish-comment.js'

describe('checkRunSummary', () => {
  test('1. a summary within the limit is kept whole', () => {
    expect(checkRunSummary('# ok')).toBe('# ok')
    const exact = 'x'.repeat(CHECK_SUMMARY_MAX_CHARS)
    expect(checkRunSummary(exact)).toBe(exact)
  })

  test('2. a longer one is cut to 65535 characters and says where the rest is', () => {
    const cut = checkRunSummary('x'.repeat(CHECK_SUMMARY_MAX_CHARS + 1))
    expect(cut).toHaveLength(CHECK_SUMMARY_MAX_CHARS)
    expect(cut).toMatch(/cut: the full report is in the job summary of this run\)$/)
  })
})

describe('contentHashLine', () => {
  test('3. the same report gives the same line, CRLF or not; another report another line', () => {
    const line = contentHashLine('a\nb')
    expect(line).toMatch(/^<!-- image-size-gate:content-hash=[0-9a-f]{32} -->$/)
    expect(contentHashLine('a\r\nb')).toBe(line)
    expect(contentHashLine('a\nc')).not.toBe(line)
  })
})
