import { describe, expect, it } from '@jest/globals'
import { applyClaimsToImages } from '../../src/action/accept.js'
import { parseAcceptLine } from '../../src/budget/accept-line.js'
import type { AcceptClaims } from '../../src/budget/accept.js'
import { evaluateBudget } from '../../src/budget/rules.js'
import { compareImages } from '../../src/compare/compare.js'
import { worstVerdict } from '../../src/model/verdict.js'
import type { ImageReport } from '../../src/render/aggregate.js'
import { image } from '../support/images.js'

/** An image that grew by `mb` MB against a 10 MB budget on its increase, or stayed the same. */
function grewBy(key: string, mb: number): ImageReport {
  const base = image(`${key}:base`, [['a', 'COPY a', 100_000_000]])
  const head = image(`${key}:pr`, [
    ['a', 'COPY a', 100_000_000],
    ['b', 'RUN b', mb * 1_000_000],
  ])
  const comparison = compareImages(base, head, { basis: 'uncompressed' })
  const rules = evaluateBudget({ maxIncrease: { bytes: 10_000_000 } }, comparison)
  const verdict = worstVerdict(rules.map((r) => r.status))
  return { key, report: { entries: [{ comparison, rules, verdict, findings: [] }], verdict } }
}

const line = (text: string): AcceptClaims => ({
  body: { line: parseAcceptLine(text), author: 'contributor' },
})
const label: AcceptClaims = {
  label: {
    name: 'image-size-accepted',
    by: 'maintainer',
    at: '2026-12-03T08:00:00Z',
    byAuthor: false,
  },
}

describe('applyClaimsToImages: one decision over every image (images input, aggregate, publish)', () => {
  const images = [grewBy('api', 12), grewBy('web', 30), grewBy('worker', 0)]

  it('a label accepts every failed size budget; an image that did not fail is left as it was', () => {
    const out = applyClaimsToImages(images, label)
    expect(out.map((i) => i.report.verdict)).toEqual(['warn', 'warn', 'pass'])
    expect(out[0].report.acceptance).toMatchObject({ status: 'accepted', via: 'label' })
    expect(out[2]).toBe(images[2])
  })

  it('a line accepts only when every image grew by at most its amount', () => {
    const refused = applyClaimsToImages(images, line('image-size-gate: accept +20MB'))
    expect(refused.map((i) => i.report.verdict)).toEqual(['fail', 'fail', 'pass'])
    expect(refused[0].report.acceptance).toMatchObject({ status: 'refused' })
    expect(refused[0].report.acceptance?.reason).toContain('+30.0 MB')
    const accepted = applyClaimsToImages(images, line('image-size-gate: accept +30MB'))
    expect(accepted.map((i) => i.report.verdict)).toEqual(['warn', 'warn', 'pass'])
  })

  it('no claim, no change', () => {
    expect(applyClaimsToImages(images, {})).toBe(images)
  })
})
