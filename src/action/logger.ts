import * as core from '@actions/core'
import type { Logger } from '../util/log.js'

/** The domain's Logger, written to the Actions log; secrets become `::add-mask::`. */
export const actionsLogger: Logger = {
  debug: (message) => core.debug(message),
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  mask: (secret) => core.setSecret(secret),
}
