import { beforeAll, describe, expect, it } from '@jest/globals'
import { runGate } from '../src/gate.js'
import { parseOptions } from '../src/options.js'
import { silentLogger } from '../src/util/log.js'
import { buildFixtures, dockerFor, ENGINES, historySizes } from './support/engines.js'

const sum = (sizes: number[]) => sizes.reduce((a, b) => a + b, 0)

/** The same pair of Dockerfiles built on both stores must get the same answer. */
describe('the gate on both image stores', () => {
  beforeAll(() => ENGINES.forEach(buildFixtures))

  const gate = (engineIndex: number, raw: Record<string, string>) =>
    runGate(
      parseOptions({
        'base-image': 'isg-fixture/app:base',
        'head-image': 'isg-fixture/app:pr',
        ...raw,
      }),
      {
        log: silentLogger,
        docker: dockerFor(ENGINES[engineIndex]),
      },
    )

  it.each([
    [1, { 'max-increase': '1MB' }, 'fail'],
    [2, { 'warn-increase': '10%', 'max-increase': '5MB' }, 'warn'],
    [3, { 'max-size': '10MB', 'max-layers': '20' }, 'pass'],
    [4, { 'max-layers': '8' }, 'fail'],
  ])(
    '%i: %j gives the same verdict, totals and layer rows on overlay2 and containerd',
    async (_n, raw, verdict) => {
      const [classic, containerd] = await Promise.all([gate(0, raw), gate(1, raw)])
      expect(classic.verdict).toBe(verdict)
      expect(containerd.verdict).toBe(verdict)
      const [a, b] = [classic.entries[0].comparison, containerd.entries[0].comparison]
      expect(b.totals).toEqual(a.totals)
      expect(b.layers.map((l) => [l.change, l.headBytes, l.baseBytes])).toEqual(
        a.layers.map((l) => [l.change, l.headBytes, l.baseBytes]),
      )
      expect(a.base?.origin).toMatchObject({ store: 'overlay2' })
      expect(b.base?.origin).toMatchObject({ store: 'containerd' })
    },
  )

  it('totals are the sums of docker history on the overlay2 engine', async () => {
    const report = await gate(0, {})
    const { totals } = report.entries[0].comparison
    expect(totals.headBytes).toBe(sum(historySizes(ENGINES[0], 'isg-fixture/app:pr')))
    expect(totals.baseBytes).toBe(sum(historySizes(ENGINES[0], 'isg-fixture/app:base')))
  })

  it('a missing base image gives a report without a baseline, not an error', async () => {
    const options = parseOptions({
      'base-image': 'docker-daemon:isg-fixture/app:missing',
      'head-image': 'isg-fixture/app:pr',
      'max-increase': '1B',
    })
    const report = await runGate(options, { log: silentLogger, docker: dockerFor(ENGINES[0]) })
    expect(report.entries[0].comparison.noBaseline).toMatch(/isg-fixture\/app:missing/)
    // The increase budget needs a baseline; the default secrets check runs on the PR image
    expect(report.entries[0].rules.map((r) => [r.key, r.status])).toEqual([
      ['max-increase', 'skip'],
      ['secrets', 'pass'],
    ])
    expect(report.verdict).toBe('pass')
  })
})
