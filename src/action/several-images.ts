/**
 * The `images` input (issue 10): several images in one run. The images are read one at a time
 * (built first when the item has a context), so memory stays that of one image pair and each
 * image's build tags are removed before the next starts. An image that cannot be measured (a
 * missing image, a failed build, an unreachable registry) does not lose the others: its row and
 * section say why and it fails; the others are still measured, reported and published, and the
 * step fails. One report file per image (report-<name>.json, as mode aggregate reads them), one
 * summary, one comment under one key (comment-key, default `images`) with the overview table.
 */
import * as core from '@actions/core'
import { runGate } from '../gate.js'
import {
  aggregateVerdict,
  imagesOutput,
  renderAggregate,
  type ImageReport,
} from '../render/aggregate.js'
import type { RenderOptions } from '../render/comment.js'
import { BuildError } from '../image-build/index.js'
import { UserError, errorMessage } from '../util/errors.js'
import { acceptInImages, eventPull } from './accept.js'
import { annotateDockerfile } from './annotate.js'
import { buildRequestedImages, removeBuiltImages } from './build.js'
import { readRunHistory, recordRunHistory } from './history.js'
import type { ImageItem } from './images-input.js'
import type { Inputs } from './inputs.js'
import { actionsLogger } from './logger.js'
import {
  SUMMARY_HINT,
  publishBody,
  trySetOutputs,
  tryWriteJsonReport,
  tryWriteSummaryWith,
} from './publish.js'
import { readRunContext, type RunContext } from './run-context.js'

export async function runSeveralImages(inputs: Inputs, images: ImageItem[]): Promise<void> {
  const context = await readRunContext()
  const measured: ImageReport[] = []
  for (const [index, image] of images.entries())
    measured.push(
      await core.group(`Image ${image.name}`, () => measureOne(image, index, context, inputs)),
    )
  // Written before any GitHub request, as for one image; again if the PR accepts an increase.
  await core.group('Write the reports', () => writeReports(measured))
  for (const image of measured)
    if (image.error === undefined) await recordRunHistory(image.report, inputs, image.key)
  const reports = await acceptInImages(measured, inputs, eventPull)
  if (reports !== measured)
    await core.group('Write the reports again', () => writeReports(reports, true))
  for (const [index, image] of reports.entries())
    if (image.error === undefined)
      await annotateDockerfile(image.report, images[index], context.workspace)
  const verdict = aggregateVerdict(reports)
  const line = verdictLine(reports)
  if (verdict === 'fail') core.setFailed(line)
  else if (verdict === 'warn') core.warning(line)
  else core.info(line)
  const body = renderAggregate(reports, { fullReportHint: SUMMARY_HINT })
  const entries = reports.flatMap((i) => i.report.entries)
  await core.group('Comment on the pull request', () =>
    publishBody(body, inputs, { verdict, entries }),
  )
}

/** One image: built when it has a context, read and compared; an error is its row's. */
async function measureOne(
  image: ImageItem,
  index: number,
  context: RunContext,
  inputs: Inputs,
): Promise<ImageReport> {
  const builtTags: string[] = []
  try {
    // The index first: distinct build tags per image even when a long run id is cut short.
    const runId = `i${index}-${context.runId}`
    const built = await buildRequestedImages(image.gate, image.build, {
      ...context,
      runId,
      log: actionsLogger,
    })
    builtTags.push(...built.builtTags)
    // Each image's own size history (issue 11), keyed by its name.
    const history = await readRunHistory(inputs, image.name)
    const compared = await runGate({ ...built.gate, history }, { log: actionsLogger })
    const report = built.builds ? { ...compared, builds: built.builds } : compared
    core.info(`${image.name}: ${report.verdict}`)
    return { key: image.name, report }
  } catch (error) {
    const message = errorMessage(error)
    core.error(`${image.name}: ${message}`)
    if (!(error instanceof UserError) && error instanceof Error) core.debug(error.stack ?? '')
    const errorLog = error instanceof BuildError ? error.logTail : undefined
    return { key: image.name, report: { entries: [], verdict: 'fail' }, error: message, errorLog }
  } finally {
    await removeBuiltImages(builtTags, actionsLogger)
  }
}

/**
 * The JSON report of each measured image, the summary, and the outputs: verdict, images (a JSON
 * object per image and platform) and report-path (one file per line). Never throws.
 */
async function writeReports(images: ImageReport[], rewrite = false): Promise<void> {
  const paths: string[] = []
  for (const image of images)
    if (image.error === undefined) paths.push(await tryWriteJsonReport(image.report, image.key))
  const render = (options: RenderOptions) => renderAggregate(images, options)
  await tryWriteSummaryWith(render, rewrite)
  trySetOutputs({
    verdict: aggregateVerdict(images),
    images: JSON.stringify(imagesOutput(images)),
    'report-path': paths.filter(Boolean).join('\n'),
  })
}

/** `3 images: fail; over budget: api; not measured: worker` */
function verdictLine(images: ImageReport[]): string {
  const names = (keep: (i: ImageReport) => boolean) =>
    images
      .filter(keep)
      .map((i) => i.key)
      .join(', ')
  const over = names((i) => i.error === undefined && i.report.verdict === 'fail')
  const missing = names((i) => i.error !== undefined)
  return [
    `${images.length} image${images.length === 1 ? '' : 's'}: ${aggregateVerdict(images)}`,
    over && `over budget: ${over}`,
    missing && `not measured: ${missing}`,
  ]
    .filter(Boolean)
    .join('; ')
}
