import * as core from '@actions/core'
import {
  applyAcceptance,
  decideAcceptance,
  isAcceptable,
  type AcceptClaims,
} from '../budget/accept.js'
import { worstVerdict } from '../model/verdict.js'
import type { Report } from '../report/report.js'
import { errorMessage } from '../util/errors.js'
import type { Inputs } from './inputs.js'
import { actionsLogger } from './logger.js'
import { writeReport } from './publish.js'

/**
 * All the time reading the PR may take, retries included: it runs before the report is written
 * (the verdict depends on it), so a stalled GitHub must not hold the report for long.
 */
const ACCEPT_BUDGET_MS = 30_000

/**
 * A deliberate increase (accept-label, accept-in-body): when a size budget failed on a pull
 * request, asks GitHub whether the PR accepts it, and turns those failures into warnings when
 * it does. Asks nothing when no such budget failed. Runs after the report was first written
 * (no GitHub stall can take it away; a run killed meanwhile keeps the unaccepted verdict) and
 * writes it again when it changed. Never throws: any failure warns and leaves the report as it
 * was.
 */
export async function acceptIncrease(report: Report, inputs: Inputs): Promise<Report> {
  const accepted = await decideIncrease(report, inputs)
  if (accepted !== report)
    await core.group('Write the report again', () =>
      writeReport(accepted, inputs, { rewrite: true }),
    )
  return accepted
}

/**
 * What the PR's claims do to the report, without writing it again (the images input writes its
 * own, several-images.ts): the same report when nothing changed. Never throws.
 */
export async function decideIncrease(
  report: Report,
  inputs: Pick<Inputs, 'accept' | 'githubToken'>,
): Promise<Report> {
  const { label, inBody } = inputs.accept
  if (!label && !inBody) return report
  if (!report.entries.some((e) => e.rules.some(isAcceptable))) return report
  try {
    return await tryAccept(report, inputs)
  } catch (error) {
    core.warning(`No accepted increase: ${errorMessage(error)}`)
    return report
  }
}

async function tryAccept(
  report: Report,
  inputs: Pick<Inputs, 'accept' | 'githubToken'>,
): Promise<Report> {
  const github = await import('@actions/github')
  const pr = github.context.payload.pull_request
  if (!pr) return report
  const claims = await readClaims(inputs, pr.number as number)
  return claims ? applyClaims(report, claims) : report
}

/**
 * What the PR holds that could accept an increase, read from the API (never from a report or
 * the event payload); undefined, with a warning, when the token is empty.
 */
export async function readClaims(
  inputs: Pick<Inputs, 'accept' | 'githubToken'>,
  pullNumber: number,
): Promise<AcceptClaims | undefined> {
  // Loaded on first use, as for the comment: most runs never need Octokit.
  const [github, { createOctokit }, { readAcceptClaims }] = await Promise.all([
    import('@actions/github'),
    import('../github/octokit.js'),
    import('../github/read-acceptance.js'),
  ])
  if (!inputs.githubToken) {
    core.warning('No accepted increase: github-token is empty, so the PR cannot be read')
    return undefined
  }
  return readAcceptClaims({
    octokit: createOctokit(inputs.githubToken, { log: actionsLogger, budgetMs: ACCEPT_BUDGET_MS }),
    ...github.context.repo,
    pullNumber,
    label: inputs.accept.label,
    inBody: inputs.accept.inBody,
    log: actionsLogger,
  })
}

/** The report with what the claims decide applied (and said in the log); `name` for several. */
export function applyClaims(report: Report, claims: AcceptClaims, name = ''): Report {
  const acceptance = decideAcceptance(claims, report.entries)
  if (!acceptance) return report
  const of = name ? ` (${name})` : ''
  if (acceptance.status === 'refused') {
    core.warning(
      `The PR description's acceptance line is not used${of}: ${acceptance.reason ?? ''}`,
    )
    return { ...report, acceptance }
  }
  const entries = applyAcceptance(report.entries, acceptance)
  const how =
    acceptance.via === 'label'
      ? `label ${acceptance.label ?? ''}`
      : `line ${acceptance.amount ?? ''}`
  core.info(
    `Increase accepted${of} (${how}, ${acceptance.by}): ${acceptance.rules.join(', ')} warn instead of failing`,
  )
  return { ...report, entries, verdict: worstVerdict(entries.map((e) => e.verdict)), acceptance }
}
