import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { UserError } from '../util/errors.js'
import type { Logger } from '../util/log.js'
import type { CommandResult, CommandRunner } from './command-runner.js'

interface GitOptions {
  log: Logger
  /** Runs git (the action passes its exec adapter) */
  runCommand: CommandRunner
}

/** A full or abbreviated commit id; anything else could be read by git as an option or a ref. */
const SHA = /^[0-9a-f]{7,64}$/i

async function git(repo: string, args: string[], options: GitOptions): Promise<CommandResult> {
  options.log.debug(`git ${args.join(' ')}`)
  return options.runCommand('git', args, { cwd: repo, onLine: (line) => options.log.debug(line) })
}

/**
 * Makes sure `sha` is a commit in `repo`. A shallow checkout (actions/checkout fetches one
 * commit by default) does not have the PR's base, so it is fetched from `origin` first.
 */
export async function ensureCommit(repo: string, sha: string, options: GitOptions): Promise<void> {
  if (!SHA.test(sha)) throw new UserError(`The base commit "${sha}" is not a commit id (hex)`)
  if (await hasCommit(repo, sha, options)) return
  options.log.info(`Base commit ${sha} is not in the checkout; fetching it from origin`)
  const fetch = await git(repo, ['fetch', '--no-tags', '--depth=1', 'origin', sha], options)
  if (fetch.exitCode === 0 && (await hasCommit(repo, sha, options))) return
  const why = fetch.stderr.trim().split('\n').at(-1) ?? `exit code ${fetch.exitCode}`
  throw new UserError(
    `The base commit ${sha} is not in the checkout and could not be fetched from origin (${why}). ` +
      'Check out with fetch-depth: 0, or give a base commit that origin has.',
  )
}

async function hasCommit(repo: string, sha: string, options: GitOptions): Promise<boolean> {
  const result = await git(repo, ['cat-file', '-e', `${sha}^{commit}`], options)
  return result.exitCode === 0
}

/**
 * Checks `sha` out in a temporary detached worktree, runs `use` there, and always removes the
 * worktree again (also when `use` throws), so the checkout is left as it was.
 */
export async function withWorktree<T>(
  repo: string,
  sha: string,
  options: GitOptions & { tempDir?: string },
  use: (dir: string) => Promise<T>,
): Promise<T> {
  const parent = mkdtempSync(join(options.tempDir ?? tmpdir(), 'image-size-gate-base-'))
  const dir = join(parent, 'worktree')
  try {
    const add = await git(repo, ['worktree', 'add', '--detach', dir, sha], options)
    if (add.exitCode !== 0) {
      throw new UserError(`Could not check out the base commit ${sha}: ${add.stderr.trim()}`)
    }
    return await use(dir)
  } finally {
    await removeWorktree(repo, dir, options)
    rmSync(parent, { recursive: true, force: true })
  }
}

async function removeWorktree(repo: string, dir: string, options: GitOptions): Promise<void> {
  const remove = await git(repo, ['worktree', 'remove', '--force', dir], options)
  if (remove.exitCode === 0) return
  // Never added, or already half gone: drop git's record of it once the directory is deleted.
  rmSync(dir, { recursive: true, force: true })
  const prune = await git(repo, ['worktree', 'prune'], options)
  if (prune.exitCode !== 0) options.log.warning(`git worktree prune failed: ${prune.stderr.trim()}`)
}
