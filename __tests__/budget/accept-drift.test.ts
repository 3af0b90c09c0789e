import { describe, expect, it } from '@jest/globals'
import { parseAcceptLine } from '../../src/budget/accept-line.js'
import { applyAcceptance, decideAcceptance, type AcceptClaims } from '../../src/budget/accept.js'
import type { Budget } from '../../src/budget/budget.js'
import { evaluateBudget } from '../../src/budget/rules.js'
import { compareImages } from '../../src/compare/compare.js'
import { worstVerdict } from '../../src/model/verdict.js'
import { image } from '../support/images.js'

// A failed drift budget (issue 11) is the branch's growth, not the PR's: the description's
// amount, which bounds the PR's own increase, does not accept it; the label does.

const NOW = new Date('2026-12-03T12:00:00Z')
const grown = compareImages(
  image('a:base', [['a', 'COPY a', 100_000_000]]),
  image('a:pr', [['a', 'COPY a', 101_000_000]]),
  { basis: 'uncompressed' },
) // +1 MB
const drift = {
  branch: 'main',
  now: NOW,
  points: [
    {
      sha: 'a'.repeat(40),
      time: '2026-10-01T00:00:00Z',
      key: 'app',
      uncompressedBytes: 50e6,
      layers: 1,
    },
  ],
}
function entry(budget: Budget) {
  const rules = evaluateBudget(budget, grown, undefined, drift)
  return { comparison: grown, rules, verdict: worstVerdict(rules.map((r) => r.status)) }
}
const body = (text: string): AcceptClaims => ({
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

describe('accepting a failed drift budget', () => {
  it('1: the description does not, even when the PR itself grew within its amount', () => {
    const entries = [entry({ maxDrift: { percent: 10, windowDays: 30 } })]
    const acceptance = decideAcceptance(body('image-size-gate: accept +2MB'), entries)
    expect(acceptance).toMatchObject({
      status: 'refused',
      reason: expect.stringMatching(/^`max-drift` can only be accepted by the label/),
    })
    expect(applyAcceptance(entries, acceptance)[0].verdict).toBe('fail')
  })

  it('2: the description accepts the PR-own budgets and leaves the drift failing', () => {
    const entries = [
      entry({ maxIncrease: { bytes: 1 }, maxDrift: { percent: 10, windowDays: 30 } }),
    ]
    const acceptance = decideAcceptance(body('image-size-gate: accept +2MB'), entries)
    expect(acceptance).toMatchObject({ status: 'accepted', rules: ['max-increase'] })
    const [after] = applyAcceptance(entries, acceptance)
    expect(after.rules.map((r) => [r.key, r.status])).toEqual([
      ['max-increase', 'warn'],
      ['max-drift', 'fail'],
    ])
    expect(after.verdict).toBe('fail')
  })

  it('3: the label does', () => {
    const entries = [entry({ maxDrift: { percent: 10, windowDays: 30 } })]
    const acceptance = decideAcceptance(label, entries)
    expect(acceptance).toMatchObject({ status: 'accepted', rules: ['max-drift'] })
    expect(applyAcceptance(entries, acceptance)[0].verdict).toBe('warn')
  })
})
