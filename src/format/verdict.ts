import type { Verdict } from '../model/verdict.js'

/** The verdict in words, for the log line and the comment's headline. */
export const VERDICT_HEADLINE: Record<Verdict, string> = {
  pass: 'Image size within budget',
  warn: 'Image size near its budget',
  fail: 'Image size budget exceeded',
}
