import { describe, expect, it } from '@jest/globals'
import { plainText, wordFinding } from '../../src/format/finding-words.js'
import type { HiddenCopy } from '../../src/model/files.js'
import { byKey, explainWith, run } from './evidence-fixtures.js'

const hidden = (
  path: string,
  bytes: number,
  layer: number,
  hiddenBy: number,
  how: HiddenCopy['how'] = 'deleted',
): HiddenCopy => ({ path, bytes, layer, hiddenBy, how })

const FETCH = run(
  'wget -O /tmp/sdk.tar.gz https://example.com/sdk.tar.gz && tar xzf /tmp/sdk.tar.gz -C /opt',
)
const REMOVE = run('rm -f /tmp/sdk.tar.gz', 0)
const CHMOD = run('chmod -R 755 /opt/sdk', 30_000_000)
/** 25 files under /opt/sdk written by layer 3 and overwritten by the chmod of layer 5 */
const OVERWRITTEN = Array.from({ length: 25 }, (_, i) =>
  hidden(`/opt/sdk/lib/part${i}.so`, 1_000_000 + i * 997, 3, 5, 'overwritten'),
)
const OVERWRITTEN_TOTAL = OVERWRITTEN.reduce((t, c) => t + c.bytes, 0)

describe('deleted-in-later-layer, from the hidden copies', () => {
  it('1: exact hidden bytes by storing and hiding layer, with both steps; > 20 copies', () => {
    const { findings } = explainWith({
      layers: [FETCH, REMOVE, CHMOD],
      head: {
        view: [['/opt/sdk/bin/sdk', 1e6, 5]],
        hidden: [hidden('/tmp/sdk.tar.gz', 50_000_000, 3, 4), ...OVERWRITTEN],
      },
    })
    const [finding] = byKey(findings, 'deleted-in-later-layer')
    expect(finding.hint).toBeUndefined()
    expect(finding.bytes).toBe(50_000_000 + OVERWRITTEN_TOTAL)
    expect(finding.layers).toEqual([3, 4, 5])
    expect(finding.paths).toHaveLength(20)
    expect(finding.paths?.[0]).toEqual({ path: '/tmp/sdk.tar.gz', bytes: 50_000_000, layer: 3 })
    expect(finding.evidence).toMatchObject({
      kind: 'hidden-copies',
      count: 26,
      bytes: 50_000_000 + OVERWRITTEN_TOTAL,
      groups: [
        {
          stored: { layer: 3, bytes: 50_000_000, count: 1 },
          hiddenBy: { layer: 4, instruction: 'RUN rm -f /tmp/sdk.tar.gz' },
          deletedBytes: 50_000_000,
          copyUp: false,
        },
        {
          stored: { layer: 3, bytes: OVERWRITTEN_TOTAL, count: 25 },
          hiddenBy: { layer: 5, instruction: 'RUN chmod -R 755 /opt/sdk' },
          deletedBytes: 0,
          copyUp: true,
        },
      ],
    })
    const detail = plainText(wordFinding(finding).detail)
    expect(detail).toContain('75.3 MB in 26 copies the image stores but no container sees')
    expect(detail).toContain('that layer 4 (`RUN rm -f /tmp/sdk.tar.gz`) deleted')
    expect(detail).toContain('that layer 5 (`RUN chmod -R 755 /opt/sdk`) overwrote')
    const fix = plainText(wordFinding(finding).fix)
    expect(fix).toContain('Do it in one layer')
    expect(fix).toContain('COPY --chown=app:app --chmod=755')
    // Evidence wins: the chmod guess is not made as well
    expect(byKey(findings, 'metadata-copy-up')).toEqual([])
  })

  it('2: clean version: deleted in the same RUN, nothing hidden: no finding, not even a hint', () => {
    const { findings } = explainWith({
      layers: [FETCH, REMOVE],
      head: { view: [['/opt/sdk/bin/sdk', 1e6, 3]] },
    })
    expect(byKey(findings, 'deleted-in-later-layer')).toEqual([])
    expect(findings.filter((f) => f.hint)).toEqual([])
  })

  it('3: under 100 kB hidden (dpkg status rewrites): no finding', () => {
    const { findings } = explainWith({
      layers: [run('apt-get install -y jq && rm -rf /var/lib/apt/lists/*')],
      head: {
        view: [['/usr/bin/jq', 1e6, 3]],
        hidden: [hidden('/var/lib/dpkg/status', 99_999, 2, 3, 'overwritten')],
      },
    })
    expect(byKey(findings, 'deleted-in-later-layer')).toEqual([])
  })

  it('4: the PR hides what a shared layer stored: the PR’s, not the base’s', () => {
    const { findings } = explainWith({
      layers: [run('rm -rf /usr/share/doc', 0), run('make')],
      head: {
        view: [['/app/x', 1e6, 4]],
        hidden: [hidden('/usr/share/doc/curl/changelog.gz', 2_000_000, 2, 3)],
      },
    })
    expect(byKey(findings, 'deleted-in-later-layer')).toMatchObject([
      { bytes: 2_000_000, layers: [2, 3] },
    ])
    expect(byKey(findings, 'deleted-in-later-layer')[0].inBase).toBeUndefined()
  })

  it('5: copies hidden within the shared layers: inBase, nothing against the PR', () => {
    const { findings } = explainWith({
      layers: [run('make')],
      head: { view: [['/app/x', 1e6, 3]], hidden: [hidden('/var/cache/x.bin', 3_000_000, 1, 2)] },
    })
    const [finding] = byKey(findings, 'deleted-in-later-layer')
    expect(finding).toMatchObject({ inBase: true, bytes: 0, evidence: { bytes: 3_000_000 } })
    expect(plainText(wordFinding(finding).detail)).toContain('do not count against this PR')
  })

  it('6: without the file analysis the instruction rule guesses, as a hint', () => {
    const { findings } = explainWith({
      layers: [
        run('mkdir -p /var/cache/pkg && wget -O /var/cache/pkg/i https://x', 300_000),
        run('rm -rf /var/cache/pkg', 0),
      ],
      files: false,
    })
    expect(byKey(findings, 'deleted-in-later-layer')).toMatchObject([
      { hint: true, layers: [3, 4] },
    ])
  })
})
