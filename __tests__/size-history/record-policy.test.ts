import { describe, expect, it } from '@jest/globals'
import { decideRecording, isPlainBranchName } from '../../src/size-history/record-policy.js'

const SETTINGS = { storeBranch: 'image-size-gate-history', recordOn: [] as string[] }

describe('decideRecording', () => {
  it.each([
    [1, 'push', 'refs/heads/main', 'main', [], { record: true, branch: 'main' }],
    [2, 'workflow_dispatch', 'refs/heads/main', 'main', [], { record: true, branch: 'main' }],
    [3, 'schedule', 'refs/heads/main', 'main', [], { record: true, branch: 'main' }],
    [4, 'push', 'refs/heads/feature', 'main', [], /not the default branch \(main\)/],
    [
      5,
      'push',
      'refs/heads/release/2.x',
      'main',
      ['main', 'release/2.x'],
      { record: true, branch: 'release/2.x' },
    ],
    [6, 'push', 'refs/heads/main', 'main', ['release/2.x'], /not in history-record-on/],
    [7, 'pull_request', 'refs/pull/7/merge', 'main', [], /pull_request event never records/],
    [
      8,
      'pull_request_target',
      'refs/heads/main',
      'main',
      [],
      /pull_request_target event never records/,
    ],
    [9, 'workflow_run', 'refs/heads/main', 'main', [], /workflow_run event never records/],
    [10, 'push', 'refs/tags/v1', 'main', [], /not a branch/],
    [11, 'push', 'refs/heads/main', undefined, [], /name the branches in history-record-on/],
    [
      12,
      'push',
      'refs/heads/image-size-gate-history',
      'image-size-gate-history',
      [],
      /history branch itself/,
    ],
  ])('%d. %s on %s', (_n, name, ref, defaultBranch, recordOn, expected) => {
    const decision = decideRecording({ name, ref, defaultBranch }, { ...SETTINGS, recordOn })
    if (expected instanceof RegExp) {
      expect(decision.record).toBe(false)
      expect(decision.record ? '' : decision.reason).toMatch(expected)
    } else expect(decision).toEqual(expected)
  })
})

describe('isPlainBranchName', () => {
  it.each(['main', 'release/2.x', 'image-size-gate-history', 'v1.0_rc'])('accepts %s', (name) => {
    expect(isPlainBranchName(name)).toBe(true)
  })
  it.each([
    '',
    '-x',
    '/main',
    'main/',
    'a..b',
    'a//b',
    'x.lock',
    'a b',
    'a:b',
    'x/.y',
    'main.',
    'ä',
    'a'.repeat(201),
  ])('refuses %j', (name) => {
    expect(isPlainBranchName(name)).toBe(false)
  })
})
