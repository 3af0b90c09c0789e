import type { ExplainRule } from './types.js'
import { commandText } from './shell.js'
import { layerFinding } from './text.js'

/** Commands that change only metadata; on overlay2 each copies the whole file up. */
export const METADATA_COMMANDS = new Set(['chmod', 'chown', 'chgrp', 'touch', 'setfacl', 'setcap'])

/** A metadata-only step worth a finding grew by more than 1 MB. */
const COPY_UP_BYTES = 1_000_000

/**
 * A RUN that only changes permissions, owners or times (`chmod -R`, `chown -R`, `touch`) still
 * writes every file it touches into its own layer: the bytes ship twice.
 */
export const metadataCopyUp: ExplainRule = {
  key: 'metadata-copy-up',
  basis: 'steps',
  explain({ steps }) {
    const hits = steps
      .filter(
        (s) =>
          s.growth > COPY_UP_BYTES &&
          s.commands.length > 0 &&
          s.commands.every((c) => METADATA_COMMANDS.has(c.words[0] ?? '')),
      )
      .map((step) => ({ step, seen: step.commands.map(commandText).join(' && ') }))
    return layerFinding('metadata-copy-up', hits, (h) => ({ kind: 'metadata-copy-up', hits: h }))
  },
}
