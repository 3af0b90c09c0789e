/**
 * Appending points to the store, as one commit on the history branch per write. The branch is
 * read, the file merged and thinned, and the branch moved only if it is still where it was read
 * (no force): a writer that lost a race reads again and merges again, a bounded number of times.
 */
import type { SizePoint } from '../model/size-history.js'
import type { Logger } from '../util/log.js'
import {
  HISTORY_CAPS,
  HistoryFileError,
  historyFilePath,
  parseHistoryFile,
  serialiseHistoryFile,
} from './history-file.js'
import { mergePoints, thinPoints } from './thin.js'

/** What the store needs from a Git host; src/github/history-git.ts does it with the Git Data API. */
export interface HistoryStoreApi {
  /** The history branch's head commit, or undefined when the branch does not exist. */
  readHead(): Promise<string | undefined>
  /** A file's text at a commit, or undefined when it has no such file. */
  readFile(commit: string, path: string): Promise<string | undefined>
  /**
   * Commits `text` as `path` on top of `parent` (undefined: the first, parentless commit of a
   * new branch) and moves the branch to it without force. 'moved': the branch is no longer at
   * `parent` (another writer won), nothing changed.
   */
  writeFile(
    parent: string | undefined,
    path: string,
    text: string,
    message: string,
  ): Promise<'written' | 'moved'>
}

/** Writes tried before giving up on a branch that keeps moving */
export const MAX_WRITE_ATTEMPTS = 5

export interface AppendRequest {
  /** The recorded branch, e.g. `main` */
  branch: string
  key: string
  points: SizePoint[]
  now: Date
  log: Logger
  maxAttempts?: number
  /** Milliseconds to wait before the nth retry (default: 200 ms × n, with jitter) */
  delayMs?: (attempt: number) => number
}

export type AppendResult =
  | { status: 'written'; path: string; points: number; attempts: number }
  | { status: 'skipped'; reason: string }

export async function appendPoints(
  api: HistoryStoreApi,
  request: AppendRequest,
): Promise<AppendResult> {
  const { branch, key, log } = request
  if (key.length > HISTORY_CAPS.keyChars)
    return {
      status: 'skipped',
      reason: `the image key is longer than ${HISTORY_CAPS.keyChars} characters`,
    }
  const path = historyFilePath(branch, key)
  const maxAttempts = request.maxAttempts ?? MAX_WRITE_ATTEMPTS
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const head = await api.readHead()
    const text = head === undefined ? undefined : await api.readFile(head, path)
    const stored = readStored(text, { branch, key }, log, path)
    if ('skip' in stored) return { status: 'skipped', reason: stored.skip }
    const points = thinPoints(mergePoints(stored.points, request.points), request.now)
    const shas = [...new Set(request.points.map((p) => p.sha.slice(0, 7)))].join(', ')
    const message = `Size history: ${key} on ${branch} at ${shas}`
    const written = await api.writeFile(
      head,
      path,
      serialiseHistoryFile({ branch, key, points }),
      message,
    )
    if (written === 'written')
      return { status: 'written', path, points: points.length, attempts: attempt }
    log.info(
      `The history branch moved while writing (attempt ${attempt} of ${maxAttempts}); merging again`,
    )
    if (attempt < maxAttempts) await sleep((request.delayMs ?? defaultDelay)(attempt))
  }
  throw new Error(
    `the history branch kept moving: ${maxAttempts} writes lost the race to other writers`,
  )
}

/** The stored points; a corrupt file is replaced (warned), a newer schema left alone. */
function readStored(
  text: string | undefined,
  expected: { branch: string; key: string },
  log: Logger,
  path: string,
): { points: SizePoint[] } | { skip: string } {
  if (text === undefined) return { points: [] }
  try {
    return { points: parseHistoryFile(text, expected).points }
  } catch (error) {
    if (!(error instanceof HistoryFileError)) throw error
    if (error.newer)
      return {
        skip: `${path} was written by a newer image-size-gate (${error.message}); not changed`,
      }
    log.warning(
      `The stored size history ${path} is unreadable (${error.message}); starting it again`,
    )
    return { points: [] }
  }
}

const defaultDelay = (attempt: number) => 200 * attempt + Math.floor(Math.random() * 200)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
