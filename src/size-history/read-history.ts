/**
 * The base branch's history as a PR run reads it: one stored file, checked like any untrusted
 * report. Nothing here fails a run: a missing or unusable store is an empty history with a
 * warning that says why.
 */
import type { SizeHistory } from '../model/size-history.js'
import { errorMessage } from '../util/errors.js'
import { HistoryFileError, historyFilePath, parseHistoryFile } from './history-file.js'

/** How the warning of an empty history that was simply never written starts */
export const NO_HISTORY_YET = 'no size history yet'

/** Reads one file of the history branch (undefined when it or the branch is missing). */
export type ReadLatestFile = (path: string) => Promise<string | undefined>

export interface HistoryReadRequest {
  /** The recorded branch to read, e.g. the PR's base branch */
  branch: string
  key: string
  /** The store's branch, for messages */
  storeBranch: string
}

export async function readSizeHistory(
  read: ReadLatestFile,
  request: HistoryReadRequest,
): Promise<SizeHistory> {
  const { branch, key, storeBranch } = request
  const path = historyFilePath(branch, key)
  const empty = (warning: string): SizeHistory => ({ branch, points: [], warning })
  let text: string | undefined
  try {
    text = await read(path)
  } catch (error) {
    return empty(`could not read the size history (${storeBranch}:${path}): ${errorMessage(error)}`)
  }
  if (text === undefined)
    return empty(
      `${NO_HISTORY_YET} for ${key} on ${branch} (${storeBranch}:${path} does not exist)`,
    )
  try {
    return { branch, points: parseHistoryFile(text, { branch, key }).points }
  } catch (error) {
    if (!(error instanceof HistoryFileError)) throw error
    return empty(
      `the size history ${storeBranch}:${path} is unusable, so it is ignored: ${error.message}`,
    )
  }
}
