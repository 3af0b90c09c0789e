import * as core from '@actions/core'
import { getInputs } from './action/inputs.js'
import { actionsLogger } from './action/logger.js'
import { publishReport } from './action/publish.js'
import { runGate } from './gate.js'
import { UserError } from './util/errors.js'

/**
 * The action: read inputs, read and compare the images, publish the report (summary, comment,
 * outputs), and only then fail the step on a budget breach. Real errors fail at once.
 */
export async function run(): Promise<void> {
  try {
    const inputs = getInputs()
    const report = await core.group('Compare images', () =>
      runGate(inputs.gate, { log: actionsLogger }),
    )
    await core.group('Publish the report', () => publishReport(report, inputs))
    if (report.verdict === 'fail') {
      const failed = report.entries.flatMap((e) => e.rules).filter((r) => r.status === 'fail')
      core.setFailed(
        `Image size budget exceeded: ${failed.map((r) => `${r.key} ${r.message}`).join('; ')}`,
      )
    }
  } catch (error) {
    if (error instanceof UserError) {
      core.setFailed(error.message)
    } else {
      core.setFailed(error instanceof Error ? (error.stack ?? error.message) : String(error))
    }
  }
}
