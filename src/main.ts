import * as core from '@actions/core'
import { acceptIncrease } from './action/accept.js'
import { annotateDockerfile } from './action/annotate.js'
import { buildRequestedImages, removeBuiltImages } from './action/build.js'
import { readRunHistory, recordRunHistory } from './action/history.js'
import { getInputs } from './action/inputs.js'
import { actionsLogger } from './action/logger.js'
import { publishComment, writeReport } from './action/publish.js'
import { readRunContext } from './action/run-context.js'
import { runReportsMode } from './action/reports-mode.js'
import { runSeveralImages } from './action/several-images.js'
import { runGate } from './gate.js'
import { verdictLine } from './render/verdict-line.js'
import { UserError } from './util/errors.js'

/**
 * The action: read inputs, build or read the images and compare them, write the report (JSON
 * file, summary, outputs) before any GitHub request, so no GitHub failure or stall can take it
 * away; when a size budget failed, ask whether the PR accepts the increase (the report written
 * again if it does); then the verdict, and the PR comment. A budget breach fails the step when it
 * ends, after the comment; real errors fail at once.
 */
export async function run(): Promise<void> {
  const builtTags: string[] = []
  try {
    const inputs = getInputs()
    if (inputs.mode !== 'measure') return await runReportsMode(inputs)
    if (inputs.images) return await runSeveralImages(inputs, inputs.images)
    const runContext = await readRunContext()
    const build = () =>
      buildRequestedImages(inputs.gate, inputs.build, { ...runContext, log: actionsLogger })
    const images = inputs.build ? await core.group('Build images', build) : await build()
    builtTags.push(...images.builtTags)
    const history = await readRunHistory(inputs)
    const compared = await core.group('Compare images', () =>
      runGate({ ...images.gate, history }, { log: actionsLogger }),
    )
    const gated = images.builds ? { ...compared, builds: images.builds } : compared
    await core.group('Write the report', () => writeReport(gated, inputs))
    await recordRunHistory(gated, inputs)
    const report = await acceptIncrease(gated, inputs)
    await annotateDockerfile(report, inputs, runContext.workspace)
    const verdict = verdictLine(report)
    if (report.verdict === 'fail') core.setFailed(verdict)
    else if (report.verdict === 'warn') core.warning(verdict)
    else core.info(verdict)
    await core.group('Comment on the pull request', () => publishComment(report, inputs))
  } catch (error) {
    core.setFailed(
      error instanceof UserError
        ? error.message
        : error instanceof Error
          ? (error.stack ?? error.message)
          : String(error),
    )
  } finally {
    await removeBuiltImages(builtTags, actionsLogger)
  }
}
