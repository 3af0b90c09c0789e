import { VERDICT_HEADLINE } from '../format/verdict.js'
import type { Report } from '../report/report.js'

/** One line for the log: the verdict and the rules behind it, per platform when several. */
export function verdictLine(report: Report): string {
  const headline = VERDICT_HEADLINE[report.verdict]
  const reasons = report.entries.flatMap((e) =>
    e.rules
      .filter((r) => r.status === report.verdict)
      .map(
        (r) =>
          `${e.label ? `[${e.label}] ` : ''}${r.key} ${r.message}${r.accepted ? ' (accepted)' : ''}`,
      ),
  )
  return reasons.length > 0 ? `${headline}: ${reasons.join('; ')}` : headline
}
