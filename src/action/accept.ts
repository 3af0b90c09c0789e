import * as core from '@actions/core'
import {
  applyAcceptance,
  decideAcceptance,
  isAcceptable,
  type AcceptClaims,
} from '../budget/accept.js'
import { worstVerdict } from '../model/verdict.js'
import type { ImageReport } from '../render/aggregate.js'
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

type AcceptInputs = Pick<Inputs, 'accept' | 'githubToken'>

/**
 * A deliberate increase (accept-label, accept-in-body) on one image: when a size budget failed
 * on a pull request, asks GitHub whether the PR accepts it, and turns those failures into
 * warnings when it does. Runs after the report was first written (no GitHub stall can take it
 * away; a run killed meanwhile keeps the unaccepted verdict) and writes it again when it
 * changed. Never throws: any failure warns and leaves the report as it was.
 */
export async function acceptIncrease(report: Report, inputs: Inputs): Promise<Report> {
  const [{ report: accepted }] = await acceptInImages([{ key: '', report }], inputs, eventPull)
  if (accepted !== report)
    await core.group('Write the report again', () =>
      writeReport(accepted, inputs, { rewrite: true }),
    )
  return accepted
}

/**
 * The one way an increase is accepted, for one image or several (the images input, modes
 * aggregate and publish): asks nothing when no acceptable budget failed; otherwise reads the
 * claims of the PR `pullNumber` gives (once) from the API, never from a report or the payload,
 * and decides over every image at once (applyClaimsToImages). The images unchanged when there
 * is no PR or GitHub cannot answer (warned); never throws.
 */
export async function acceptInImages(
  images: ImageReport[],
  inputs: AcceptInputs,
  pullNumber: () => Promise<number | undefined>,
): Promise<ImageReport[]> {
  const { label, inBody } = inputs.accept
  if (!label && !inBody) return images
  if (!images.some((i) => i.report.entries.some((e) => e.rules.some(isAcceptable)))) return images
  try {
    const number = await pullNumber()
    const claims = number === undefined ? undefined : await readClaims(inputs, number)
    return claims ? applyClaimsToImages(images, claims) : images
  } catch (error) {
    core.warning(`No accepted increase: ${errorMessage(error)}`)
    return images
  }
}

/** The pull request of the event (pull_request, pull_request_target); undefined otherwise. */
export async function eventPull(): Promise<number | undefined> {
  const github = await import('@actions/github')
  return github.context.payload.pull_request?.number as number | undefined
}

/**
 * What the PR holds that could accept an increase, read from the API (never from a report or
 * the event payload); undefined, with a warning, when the token is empty.
 */
async function readClaims(
  inputs: AcceptInputs,
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

/**
 * The claims decided over every image's pairs at once, as decideAcceptance decides over the
 * platforms of one (a label accepts every failed size budget; the description's line only when
 * every pair grew by at most its amount), then applied to each image with such a failure; the
 * decision said once in the log.
 */
export function applyClaimsToImages(images: ImageReport[], claims: AcceptClaims): ImageReport[] {
  const acceptance = decideAcceptance(
    claims,
    images.flatMap((i) => i.report.entries),
  )
  if (!acceptance) return images
  if (acceptance.status === 'refused')
    core.warning(`The PR description's acceptance line is not used: ${acceptance.reason ?? ''}`)
  else {
    const how =
      acceptance.via === 'label'
        ? `label ${acceptance.label ?? ''}`
        : `line ${acceptance.amount ?? ''}`
    core.info(
      `Increase accepted (${how}, ${acceptance.by}): ${acceptance.rules.join(', ')} warn instead of failing`,
    )
  }
  return images.map((image) => {
    if (!image.report.entries.some((e) => e.rules.some(isAcceptable))) return image
    const entries =
      acceptance.status === 'accepted'
        ? applyAcceptance(image.report.entries, acceptance)
        : image.report.entries
    const verdict = worstVerdict(entries.map((e) => e.verdict))
    return { ...image, report: { ...image.report, entries, verdict, acceptance } }
  })
}
