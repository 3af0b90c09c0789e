import * as core from '@actions/core'
import { removeBuiltImages } from './action/build.js'
import { getInputs } from './action/inputs.js'
import { actionsLogger } from './action/logger.js'
import { measureImage } from './action/measure-image.js'
import { runReportsMode } from './action/reports-mode.js'
import { runSeveralImages } from './action/several-images.js'
import { UserError } from './util/errors.js'

/**
 * The action: read and check every input, then one of its flows: one image (measure-image.ts),
 * several (`images`, several-images.ts), or the reports other jobs wrote (modes aggregate and
 * publish, reports-mode.ts). A budget breach fails the step when it ends, after the report and
 * the comment; real errors fail at once, in one line; images it built are always removed.
 */
export async function run(): Promise<void> {
  const builtTags: string[] = []
  try {
    const inputs = getInputs()
    if (inputs.mode !== 'measure') await runReportsMode(inputs)
    else if (inputs.images) await runSeveralImages(inputs, inputs.images)
    else await measureImage(inputs, builtTags)
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
