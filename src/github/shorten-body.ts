import { httpStatus } from './github-errors.js'
import type { Logger } from '../util/log.js'

/**
 * A comment body GitHub refuses as too long (422 "body is too long"). The renderers keep the body
 * well under GitHub's 65,536 characters, so this is GitHub counting otherwise than they do (or a
 * lower limit some day); the answer is to write once more with a body that surely fits, never to
 * give up on the comment nor to post twice (a refused write created nothing).
 */

/** Longest headline kept in the shortened body (characters). */
const HEADLINE_MAX_CHARS = 300
const SHORT_NOTE =
  'The report is too long for a PR comment (GitHub refused it). The full report is in the job summary of this run.'

export function isBodyTooLong(error: unknown): boolean {
  if (httpStatus(error) !== 422) return false
  const data = (error as { response?: { data?: unknown } }).response?.data
  return /too long/i.test(JSON.stringify(data ?? ''))
}

/**
 * The marker line, the rendered body's headline (its first line that is not a hidden one) and a
 * note. The content-hash line is dropped, so that comment-when: changed posts the full report
 * again on the next run.
 */
export function shortenBody(body: string): string {
  const [marker, ...rest] = body.split('\n')
  const headline = rest.find((line) => line.trim() !== '' && !line.startsWith('<!--')) ?? ''
  return `${marker}\n${headline.slice(0, HEADLINE_MAX_CHARS)}\n\n${SHORT_NOTE}\n`
}

/**
 * `write(body)`; when GitHub refuses it as too long, one warning and `write` once more with the
 * shortened body. Any other failure (and a second refusal) is thrown as it came.
 */
export async function writeShortenedIfTooLong<T>(
  body: string,
  write: (body: string) => Promise<T>,
  log: Logger,
): Promise<T> {
  try {
    return await write(body)
  } catch (error) {
    if (!isBodyTooLong(error)) throw error
    log.warning(
      'GitHub refused the PR comment as too long (422); it is posted shortened, with the verdict: the full report is in the job summary',
    )
    return write(shortenBody(body))
  }
}
