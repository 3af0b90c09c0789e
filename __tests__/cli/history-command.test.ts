import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { runCli } from '../../src/cli/cli.js'
import type { SizePoint } from '../../src/model/size-history.js'
import { historyFilePath, serialiseHistoryFile } from '../../src/size-history/history-file.js'
import { FAKE_TOKENS, startFakeGitHub, type FakeGitHub } from '../support/fake-github.js'
import { commitFiles, gitRepo } from '../support/fake-github-git.js'

/** `image-size-gate history` against the loopback GitHub API with a filled store. */

const STORE = 'image-size-gate-history'
const NOW = new Date('2026-06-30T12:00:00Z')
const DAY = 86_400_000
const sha = (n: number) => String(n).repeat(40)

function point(
  n: number,
  daysAgo: number,
  bytes: number,
  extra: Partial<SizePoint> = {},
): SizePoint {
  return {
    sha: sha(n),
    time: new Date(NOW.getTime() - daysAgo * DAY).toISOString(),
    key: 'ghcr.io/org/app',
    layers: 4,
    uncompressedBytes: bytes,
    ...extra,
  }
}

const POINTS = [
  point(1, 5, 100_000_000),
  point(2, 4, 101_000_000, {
    layerChanges: [{ instruction: 'COPY . /app', deltaBytes: 1_000_000 }],
  }),
  point(3, 3, 150_000_000, {
    layerChanges: [
      { instruction: 'RUN apt-get install -y build-essential', deltaBytes: 48_000_000 },
      { instruction: 'RUN echo \u202eexe.txt\nhidden @octocat', deltaBytes: 1_000_000 },
    ],
  }),
  point(4, 1, 149_000_000),
]

let fake: FakeGitHub
beforeEach(async () => {
  fake = await startFakeGitHub()
  const file = (key: string, points: SizePoint[]) =>
    serialiseHistoryFile({ branch: 'main', key, points: points.map((p) => ({ ...p, key })) })
  commitFiles(gitRepo(fake.state, 'isg-org/isg-app'), STORE, {
    [historyFilePath('main', 'ghcr.io/org/app')]: file('ghcr.io/org/app', POINTS),
    [historyFilePath('main', 'ghcr.io/org/api')]: file('ghcr.io/org/api', POINTS.slice(0, 2)),
  })
})
afterEach(async () => {
  await fake.close()
})

async function history(args: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = ''
  let stderr = ''
  const code = await runCli(['history', ...args], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: { GITHUB_TOKEN: FAKE_TOKENS.personal, GITHUB_API_URL: fake.url, ...env },
  })
  return { code, stdout, stderr }
}

describe('image-size-gate history', () => {
  it('1. a table, a sparkline and the commits that made it grow, with their layer changes', async () => {
    const { code, stdout, stderr } = await history(['isg-org/isg-app', '--key', 'ghcr.io/org/app'])
    expect([code, stderr]).toEqual([0, ''])
    expect(stdout).toContain(
      'ghcr.io/org/app on isg-org/isg-app main: 4 builds, uncompressed sizes',
    )
    expect(stdout).toContain('  ▁▁██\n')
    expect(stdout.split('\n').filter((l) => l !== l.trimEnd())).toEqual([])
    expect(stdout).toMatch(/3333333 {2}2026-06-27 12:00 +150 MB {2}\+49\.0 MB/)
    const grow = stdout.slice(stdout.indexOf('Which commits made it grow:'))
    expect(grow.split('\n').slice(1, 5)).toEqual([
      '  1. 3333333 (2026-06-27): +49.0 MB after 2222222',
      '         +48.0 MB  RUN apt-get install -y build-essential',
      '         +1.00 MB  RUN echo <U+202E>exe.txt hidden @octocat',
      '  2. 2222222 (2026-06-26): +1.00 MB after 1111111',
    ])
  })

  it('2. --json for machines', async () => {
    const { code, stdout } = await history([
      'isg-org/isg-app',
      '--key',
      'ghcr.io/org/app',
      '--json',
    ])
    expect(code).toBe(0)
    const json = JSON.parse(stdout) as {
      histories: Array<{
        points: SizePoint[]
        largestIncreases: Array<{ sha: string; deltaBytes: number }>
      }>
    }
    expect(json).toMatchObject({ repository: 'isg-org/isg-app', branch: 'main', store: STORE })
    expect(json.histories[0].points).toEqual(POINTS)
    expect(json.histories[0].largestIncreases[0]).toMatchObject({
      sha: sha(3),
      deltaBytes: 49_000_000,
    })
  })

  it('3. --since keeps the newer builds', async () => {
    const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString()
    const recent = [point(7, 0, 1, { time: ago(5) }), point(8, 0, 2, { time: ago(1) })]
    commitFiles(gitRepo(fake.state, 'isg-org/isg-app'), STORE, {
      [historyFilePath('main', 'ghcr.io/org/app')]: serialiseHistoryFile({
        branch: 'main',
        key: 'ghcr.io/org/app',
        points: recent,
      }),
    })
    const args = ['isg-org/isg-app', '--key', 'ghcr.io/org/app', '--json']
    const points = async (extra: string[]) =>
      (
        JSON.parse((await history([...args, ...extra])).stdout) as {
          histories: Array<{ points: SizePoint[] }>
        }
      ).histories[0].points.map((p) => p.sha)
    expect(await points(['--since', '2d'])).toEqual([sha(8)])
    expect(await points(['--since', '1w'])).toEqual([sha(7), sha(8)])
  })

  it('4. without --key: every key of the branch (the default branch, asked of the API)', async () => {
    const { code, stdout } = await history(['isg-org/isg-app'])
    expect(code).toBe(0)
    expect(stdout).toContain('ghcr.io/org/app on isg-org/isg-app main: 4 builds')
    expect(stdout).toContain('ghcr.io/org/api on isg-org/isg-app main: 2 builds')
    expect(fake.state.requests.map((r) => r.path)).toContain('/repos/isg-org/isg-app')
  })

  it('5. nothing recorded: said, exit 0', async () => {
    const { code, stdout } = await history(['isg-org/isg-app', '--key', 'other', '--branch', 'dev'])
    expect(code).toBe(0)
    expect(stdout).toBe(
      `No size history for other on isg-org/isg-app dev (history branch ${STORE}).\n`,
    )
  })

  it('6. a corrupt file: a warning, no points', async () => {
    commitFiles(gitRepo(fake.state, 'isg-org/isg-app'), STORE, {
      [historyFilePath('main', 'ghcr.io/org/app')]:
        '{"schemaVersion":1,"branch":"main","key":"ghcr.io/org/app","points":[{"sha":"x"}]}',
    })
    const { code, stdout, stderr } = await history(['isg-org/isg-app', '--key', 'ghcr.io/org/app'])
    expect(code).toBe(0)
    expect(stderr).toMatch(/^image-size-gate: the size history .* is unusable, so it is ignored: /)
    expect(stdout).toMatch(/^No size history/)
  })

  it.each([
    [1, [], {}, 'image-size-gate: history needs a repository: image-size-gate history OWNER/REPO'],
    [2, ['isg-app'], {}, 'image-size-gate: the repository "isg-app" is not OWNER/REPO'],
    [
      3,
      ['a/b', '--since', 'a month'],
      {},
      'image-size-gate: option --since has the value "a month"; expected an age such as 30d, 12w or 48h',
    ],
    [
      4,
      ['a/b', '--branch', 'a..b'],
      {},
      'image-size-gate: option --branch has the value "a..b"; expected a branch name',
    ],
    [5, ['a/b', '--kye', 'x'], {}, 'image-size-gate: unknown option --kye; did you mean --key?'],
    [
      6,
      ['a/b', 'c/d'],
      {},
      'image-size-gate: unexpected argument "c/d": history takes one repository, OWNER/REPO',
    ],
    [
      7,
      ['a/b'],
      { GITHUB_TOKEN: '', GH_TOKEN: '' },
      'image-size-gate: history needs a token that can read the repository in GITHUB_TOKEN or GH_TOKEN',
    ],
  ])('7.%d bad arguments: one line, exit 2', async (_n, args, env, line) => {
    const { code, stdout, stderr } = await history(args, env)
    expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: '', stderr: `${line}\n` })
  })

  it('8. a token GitHub refuses: one line, exit 3', async () => {
    const { code, stderr } = await history(['isg-org/isg-app', '--key', 'k'], {
      GITHUB_TOKEN: 'ghp_wrong',
    })
    expect(code).toBe(3)
    expect(stderr).toMatch(
      /^image-size-gate: could not read the size history of isg-org\/isg-app: Bad credentials/,
    )
    expect(stderr).not.toContain('ghp_wrong')
    expect(stderr.trim().split('\n')).toHaveLength(1)
  })

  it('9. --help', async () => {
    const { code, stdout } = await history(['--help'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/^Usage: image-size-gate history OWNER\/REPO/)
  })
})
