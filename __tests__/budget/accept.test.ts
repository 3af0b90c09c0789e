import { describe, expect, it } from '@jest/globals'
import { parseAcceptLine } from '../../src/budget/accept-line.js'
import {
  applyAcceptance,
  decideAcceptance,
  type AcceptClaims,
  type AcceptableEntry,
} from '../../src/budget/accept.js'
import type { Budget } from '../../src/budget/budget.js'
import { evaluateBudget, type RuleResult } from '../../src/budget/rules.js'
import { compareImages, type Comparison } from '../../src/compare/compare.js'
import { worstVerdict } from '../../src/model/verdict.js'
import { image } from '../support/images.js'

const base = image('a:base', [['a', 'COPY a', 100_000_000]])
const head = image('a:pr', [
  ['a', 'COPY a', 100_000_000],
  ['b', 'RUN b', 12_000_000],
])
const grown = compareImages(base, head, { basis: 'uncompressed' }) // 112 MB, +12 MB, +12%
const first = compareImages(undefined, head, { basis: 'uncompressed', noBaseline: 'none given' })

const LEAKED: RuleResult = {
  ...{ key: 'secrets', status: 'fail', unit: 'files', actual: 1, limit: 0, overshoot: 1 },
  message: "1 secret file in the PR's own layers (env-file)",
}

function entry(budget: Budget, c: Comparison = grown, extra: RuleResult[] = []): AcceptableEntry {
  const rules = [...evaluateBudget(budget, c), ...extra]
  return { comparison: c, rules, verdict: worstVerdict(rules.map((r) => r.status)) }
}

const label = (byAuthor = false): AcceptClaims => ({
  label: { name: 'image-size-accepted', by: 'maintainer', at: '2026-12-03T08:00:00Z', byAuthor },
})
const body = (text: string): AcceptClaims => ({
  body: { line: parseAcceptLine(text), author: 'contributor' },
})

describe('decideAcceptance', () => {
  it.each([
    [1, body('image-size-gate: accept +20MB'), 'accepted'],
    [2, body('image-size-gate: accept +12MB'), 'accepted'], // exactly the increase
    [3, body('image-size-gate: accept +11.9MB'), 'refused'],
    [4, body('image-size-gate: accept +12%'), 'accepted'],
    [5, body('image-size-gate: accept +5%'), 'refused'],
    [6, body('image-size-gate: accept +20MiB'), 'accepted'],
    [7, body('image-size-gate: accept +11MiB'), 'refused'], // 11.5 MB < 12 MB
    [8, body('image-size-gate: accept +40MB please'), 'refused'],
    [9, label(), 'accepted'],
    [10, { ...label(), ...body('image-size-gate: accept +1MB') }, 'accepted'], // the label wins
  ])('%i: %j → %s', (_n, claims, status) => {
    const decided = decideAcceptance(claims, [entry({ maxIncrease: { bytes: 10_000_000 } })])
    expect(decided?.status).toBe(status)
    if (status === 'accepted') expect(decided?.rules).toEqual(['max-increase'])
    else expect(decided?.rules).toEqual([])
  })

  it('says why a bound too small is refused, in the reviewer’s units', () => {
    const decided = decideAcceptance(body('image-size-gate: accept +1MB'), [
      entry({ maxIncrease: { percent: 5 } }),
    ])
    expect(decided).toMatchObject({
      ...{ status: 'refused', via: 'body', by: 'contributor', amount: '+1MB' },
      reason: 'the image grew +12.0 MB, more than +1MB',
    })
  })

  it('is undefined when nothing acceptable failed, or there is no claim', () => {
    expect(decideAcceptance(label(), [entry({ maxIncrease: { bytes: 20_000_000 } })])).toBe(
      undefined,
    )
    expect(decideAcceptance(label(), [entry({ warnIncrease: { bytes: 1 } })])).toBeUndefined()
    expect(decideAcceptance({}, [entry({ maxSizeBytes: 1 })])).toBeUndefined()
    expect(decideAcceptance(body('nothing'), [entry({ maxSizeBytes: 1 })])).toBeUndefined()
  })

  it('never counts secrets as something to accept', () => {
    const onlySecrets = entry({}, grown, [LEAKED])
    expect(onlySecrets.verdict).toBe('fail')
    expect(decideAcceptance(label(), [onlySecrets])).toBeUndefined()
  })

  it('refuses a bounded line without a baseline, but a label accepts max-size there', () => {
    const noBase = entry({ maxSizeBytes: 100_000_000, maxIncrease: { bytes: 1 } }, first)
    expect(decideAcceptance(body('image-size-gate: accept +1GB'), [noBase])).toMatchObject({
      status: 'refused',
      reason: 'the increase was not measured (no baseline)',
    })
    expect(decideAcceptance(label(), [noBase])?.rules).toEqual(['max-size'])
  })

  it('needs every platform within the amount', () => {
    const small = compareImages(base, image('a:pr2', [['a', 'COPY a', 101_000_000]]), {
      basis: 'uncompressed',
    })
    const entries = [
      entry({ maxIncrease: { bytes: 500_000 } }, small),
      entry({ maxIncrease: { bytes: 500_000 } }),
    ]
    expect(decideAcceptance(body('image-size-gate: accept +2MB'), entries)?.status).toBe('refused')
    expect(decideAcceptance(body('image-size-gate: accept +13MB'), entries)?.status).toBe(
      'accepted',
    )
  })

  it('records a label applied by the PR author', () => {
    expect(decideAcceptance(label(true), [entry({ maxSizeBytes: 1 })])).toMatchObject({
      ...{ status: 'accepted', via: 'label', by: 'maintainer', byAuthor: true },
      at: '2026-12-03T08:00:00Z',
    })
  })
})

describe('applyAcceptance', () => {
  const budget: Budget = { maxSizeBytes: 1, maxIncrease: { percent: 1 }, maxLayers: 1 }

  it('turns every failed budget but secrets into an accepted warning', () => {
    const entries = [entry(budget, grown, [LEAKED])]
    const acceptance = decideAcceptance(label(), entries)
    expect(acceptance?.rules).toEqual(['max-size', 'max-increase', 'max-layers'])
    const [accepted] = applyAcceptance(entries, acceptance)
    expect(accepted.rules.map((r) => [r.key, r.status, r.accepted ?? false])).toEqual([
      ['max-size', 'warn', true],
      ['max-increase', 'warn', true],
      ['max-layers', 'warn', true],
      ['secrets', 'fail', false],
    ])
    expect(accepted.verdict).toBe('fail')
  })

  it('makes the verdict a warning when only size budgets failed', () => {
    const entries = [entry(budget)]
    const [accepted] = applyAcceptance(entries, decideAcceptance(label(), entries))
    expect(accepted.verdict).toBe('warn')
    expect(accepted.rules.every((r) => r.status !== 'fail')).toBe(true)
  })

  it('leaves the entries as they are when refused or absent', () => {
    const entries = [entry(budget)]
    const refused = decideAcceptance(body('image-size-gate: accept +1B'), entries)
    expect(refused?.status).toBe('refused')
    expect(applyAcceptance(entries, refused)).toBe(entries)
    expect(applyAcceptance(entries, undefined)).toBe(entries)
  })
})
