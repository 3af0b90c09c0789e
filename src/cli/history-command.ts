/**
 * `image-size-gate history OWNER/REPO [--key K] [--branch B] [--since 30d] [--store S] [--json]`:
 * reads the size history the action recorded (the history branch, through the GitHub API) and
 * prints it. Token from GITHUB_TOKEN or GH_TOKEN; API root from GITHUB_API_URL (GHES).
 */
import { largestJumps, type SizePoint } from '../model/size-history.js'
import { JUMPS_SHOWN, renderHistoryText, seriesBasis, seriesOf } from '../render/history-text.js'
import { historyBranchFolder, historyFilePath } from '../size-history/history-file.js'
import { NO_HISTORY_YET, readSizeHistory } from '../size-history/read-history.js'
import { isPlainBranchName } from '../size-history/record-policy.js'
import { errorMessage } from '../util/errors.js'
import { ArgumentError, parseArguments } from './arguments.js'

export const HISTORY_USAGE = `Usage: image-size-gate history OWNER/REPO [options]

Prints the image sizes the action recorded on pushes (input history: true): a sparkline, a
table of builds and the commits that made the image grow most, with their layer changes.
Reads the repository's history branch through the GitHub API, with the token in GITHUB_TOKEN
or GH_TOKEN (GITHUB_API_URL for GitHub Enterprise Server).

Options:
  --key KEY              the image key (the run's comment-key); default: every key
  --branch BRANCH        the recorded branch; default: the repository's default branch
  --since AGE            only builds newer than this: 30d, 12w, 48h; default: all stored
  --store BRANCH         the history branch (the action's history-branch input)
  --json                 the points and the largest increases as JSON
  -h, --help             this help

Exit codes: 0 printed (also when nothing is recorded yet), 2 bad usage, 3 could not read.
`

const DEFAULT_STORE = 'image-size-gate-history'
/** Keys read when --key is not given (one request each) */
const MAX_KEYS = 20

interface HistoryArgs {
  owner: string
  repo: string
  key?: string
  branch?: string
  sinceMs?: number
  store: string
  json: boolean
}

export interface HistoryIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  env: NodeJS.ProcessEnv
  now?: Date
}

export async function runHistoryCommand(argv: string[], io: HistoryIo): Promise<number> {
  let args: HistoryArgs | 'help'
  try {
    args = parseHistoryArgs(argv, io.env)
  } catch (error) {
    if (!(error instanceof ArgumentError)) throw error
    io.stderr(`${error.problems.map((line) => `image-size-gate: ${line}`).join('\n')}\n`)
    return 2
  }
  if (args === 'help') return (io.stdout(HISTORY_USAGE), 0)
  const token = io.env.GITHUB_TOKEN || io.env.GH_TOKEN || ''
  try {
    const { createOctokit } = await import('../github/octokit.js')
    const git = await import('../github/history-git.js')
    const octokit = createOctokit(token, { baseUrl: io.env.GITHUB_API_URL || undefined })
    const where = { owner: args.owner, repo: args.repo, branch: args.store }
    const branch = args.branch ?? (await defaultBranch(octokit, args))
    const paths = args.key
      ? [historyFilePath(branch, args.key)]
      : ((await git.listHistoryFolder(octokit, where, historyBranchFolder(branch))) ?? [])
    const points: SizePoint[] = []
    const read = git.latestHistoryFile(octokit, where)
    for (const path of paths.slice(0, MAX_KEYS)) {
      const key = args.key ?? (await keyOf(read, path))
      if (key === undefined) continue
      const history = await readSizeHistory(read, { branch, key, storeBranch: args.store })
      // Nothing recorded yet is said on stdout (render); an unusable file here.
      if (history.warning && !history.warning.startsWith(NO_HISTORY_YET))
        io.stderr(`image-size-gate: ${history.warning}\n`)
      points.push(...history.points)
    }
    const now = (io.now ?? new Date()).getTime()
    const kept = points.filter(
      (p) => args.sinceMs === undefined || Date.parse(p.time) >= now - args.sinceMs,
    )
    io.stdout(render(kept, args, branch))
    return 0
  } catch (error) {
    io.stderr(
      `image-size-gate: could not read the size history of ${args.owner}/${args.repo}: ${errorMessage(error)}\n`,
    )
    return 3
  }
}

function render(points: SizePoint[], args: HistoryArgs, branch: string): string {
  const where = `${args.owner}/${args.repo} ${branch}`
  const series = seriesOf(points)
  if (args.json) {
    const histories = series.map((s) => ({
      key: s.key,
      platform: s.platform ?? null,
      basis: seriesBasis(s.points),
      points: s.points,
      largestIncreases: largestJumps(s.points, seriesBasis(s.points), JUMPS_SHOWN).map((j) => ({
        ...{ sha: j.to.sha, time: j.to.time, after: j.from.sha, deltaBytes: j.deltaBytes },
        layerChanges: j.to.layerChanges ?? [],
      })),
    }))
    const repository = `${args.owner}/${args.repo}`
    return `${JSON.stringify({ repository, branch, store: args.store, histories }, null, 2)}\n`
  }
  if (series.length === 0)
    return `No size history for ${args.key ? `${args.key} on ` : ''}${where}${args.sinceMs ? ' in that window' : ''} (history branch ${args.store}).\n`
  return series.map((s) => renderHistoryText(s, where)).join('\n')
}

/** The key a stored file is for, from its own `key` field (checked again when read). */
async function keyOf(read: (path: string) => Promise<string | undefined>, path: string) {
  try {
    const key: unknown = (JSON.parse((await read(path)) ?? '{}') as { key?: unknown }).key
    return typeof key === 'string' ? key : undefined
  } catch {
    return undefined // unreadable: readSizeHistory would say so, but there is no key to name
  }
}

async function defaultBranch(
  octokit: { request: (route: string, params: object) => Promise<{ data: unknown }> },
  args: HistoryArgs,
): Promise<string> {
  const { data } = await octokit.request('GET /repos/{owner}/{repo}', {
    owner: args.owner,
    repo: args.repo,
  })
  const branch = (data as { default_branch?: unknown }).default_branch
  if (typeof branch !== 'string') throw new Error('GitHub did not say which branch is the default')
  return branch
}

const AGE = /^(\d{1,5})([hdw])$/
const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 }

function parseHistoryArgs(argv: string[], env: NodeJS.ProcessEnv): HistoryArgs | 'help' {
  const { values, positionals } = parseArguments({
    args: argv,
    allowPositionals: true,
    options: {
      key: { type: 'string' },
      branch: { type: 'string' },
      since: { type: 'string' },
      store: { type: 'string', default: DEFAULT_STORE },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) return 'help'
  const problems: string[] = []
  const [repository, ...extra] = positionals
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(repository ?? '')
  if (!match)
    problems.push(
      repository === undefined
        ? 'history needs a repository: image-size-gate history OWNER/REPO'
        : `the repository ${JSON.stringify(repository)} is not OWNER/REPO`,
    )
  if (extra.length > 0)
    problems.push(`unexpected argument "${extra[0]}": history takes one repository, OWNER/REPO`)
  const since = values.since === undefined ? undefined : AGE.exec(values.since)
  if (since === null)
    problems.push(
      `option --since has the value ${JSON.stringify(values.since)}; expected an age such as 30d, 12w or 48h`,
    )
  for (const name of ['branch', 'store'] as const) {
    const value = values[name]
    if (value !== undefined && !isPlainBranchName(value))
      problems.push(
        `option --${name} has the value ${JSON.stringify(value)}; expected a branch name`,
      )
  }
  if (values.key !== undefined && (values.key.trim() === '' || values.key.length > 300))
    problems.push(`option --key has the value ${JSON.stringify(values.key)}; expected an image key`)
  if (!env.GITHUB_TOKEN && !env.GH_TOKEN)
    problems.push('history needs a token that can read the repository in GITHUB_TOKEN or GH_TOKEN')
  if (problems.length > 0) throw new ArgumentError(problems)
  return {
    owner: match?.[1] ?? '',
    repo: match?.[2] ?? '',
    key: values.key,
    branch: values.branch,
    sinceMs: since ? Number(since[1]) * UNIT_MS[since[2] as keyof typeof UNIT_MS] : undefined,
    store: values.store ?? DEFAULT_STORE,
    json: values.json === true,
  }
}
