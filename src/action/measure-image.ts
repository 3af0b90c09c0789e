import * as core from '@actions/core'
import { runGate } from '../gate.js'
import { verdictLine } from '../render/verdict-line.js'
import { acceptIncrease } from './accept.js'
import { annotateDockerfile } from './annotate.js'
import { buildRequestedImages } from './build.js'
import { readRunHistory, recordRunHistory } from './history.js'
import type { Inputs } from './inputs.js'
import { actionsLogger } from './logger.js'
import { publishComment, writeReport } from './publish.js'
import { readRunContext } from './run-context.js'

/**
 * One image (mode measure): build what the inputs leave to the action, compare with the base
 * branch's size history at hand, write the report (JSON file, summary, outputs) before any
 * GitHub request, so no GitHub failure or stall can take it away; record the history on a push;
 * when a size budget failed, ask whether the PR accepts the increase (the report written again
 * if it does); then the verdict, and the PR comment. The tags it built go in `builtTags` as soon
 * as they exist, for the caller to remove whatever happens.
 */
export async function measureImage(inputs: Inputs, builtTags: string[]): Promise<void> {
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
}
