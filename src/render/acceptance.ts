import type { Acceptance } from '../budget/accept.js'
import { codeSpan, escapeMarkdown } from './escape.js'

/**
 * One short line above the budget table: who accepted the increase, how and when, or why the
 * description's line was not used. The login, label and reason come from the PR: escaped.
 */
export function renderAcceptance(acceptance: Acceptance): string {
  const who = `@${acceptance.by}`
  if (acceptance.status === 'refused') {
    return `> [!NOTE]\n> The acceptance line in the PR description${acceptance.amount ? ` (${escapeMarkdown(acceptance.amount, 40)})` : ''} is not used: ${escapeMarkdown(acceptance.reason ?? '', 300)}.`
  }
  const rules = acceptance.rules.map((key) => `\`${key}\``).join(', ')
  const how =
    acceptance.via === 'label'
      ? `by ${escapeMarkdown(who, 60)} with the label ${codeSpan(acceptance.label ?? '', 60)}${acceptance.at ? ` on ${formatTime(acceptance.at)}` : ''}${acceptance.byAuthor ? " (the PR's own author)" : ''}, for any increase`
      : `up to ${escapeMarkdown(acceptance.amount ?? '', 40)} by the line in the PR description of ${escapeMarkdown(who, 60)} (the PR's author)`
  return `> [!NOTE]\n> **Increase accepted** ${how}: ${rules} ${acceptance.rules.length === 1 ? 'warns' : 'warn'} instead of failing. \`secrets\` is never accepted.`
}

/** `2026-12-03 08:40 UTC`, or the text as given (escaped) when it is not a time. */
function formatTime(iso: string): string {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) return escapeMarkdown(iso, 40)
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`
}
