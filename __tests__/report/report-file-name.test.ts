import { describe, expect, it } from '@jest/globals'
import { REPORT_NAME_MAX_CHARS, reportFileName } from '../../src/report/json-report.js'

describe('reportFileName', () => {
  it.each([
    ['docker.io/isg-fixture/app', 'report-docker.io_isg-fixture_app.json'],
    ['build:Dockerfile:prod', 'report-build_Dockerfile_prod.json'],
    ['', 'report-.json'],
  ])('%#: %j', (key, expected) => {
    expect(reportFileName(key)).toBe(expected)
  })

  it.each([
    ['a 400-character key', 'k'.repeat(400)],
    ['a deep archive path', `docker-archive:/${'a'.repeat(200)}/${'b'.repeat(200)}/pr.tar`],
    ['a key in another script', 'ключ-k'.repeat(100)],
  ])('%s fits in %#, and keys that differ only at the end stay apart', (_name, key) => {
    const name = reportFileName(key)
    expect(name.length).toBeLessThanOrEqual(REPORT_NAME_MAX_CHARS)
    expect(Buffer.byteLength(name)).toBe(name.length) // ASCII only
    expect(name).toMatch(/^report-[A-Za-z0-9._-]*-[0-9a-f]{16}\.json$/)
    expect(reportFileName(`${key}x`)).not.toBe(name)
  })
})
