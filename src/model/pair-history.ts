import { isMetadataOnly } from './instruction.js'
import type { OciImageConfig } from './oci.js'

/** One history step, oldest first. */
export interface HistoryStep {
  createdBy: string
  /** The config's `empty_layer` flag, where the source has the config */
  emptyLayer?: boolean
  /** The engine's `docker history` Size, where the source is the engine */
  size?: number
}

export interface PairedLayer {
  diffId: string
  instruction: string
  /** index into the steps, or undefined when the step could not be identified */
  step?: number
}

export type Pairing = { ok: true; layers: PairedLayer[] } | { ok: false; reason: string }

/**
 * Pairs the history steps that created a layer with `RootFS.Layers` / `rootfs.diff_ids`, in
 * order, the way the engine itself does (daemon/images/image_history.go).
 *
 * With the config's `empty_layer` flags the pairing is exact. The engine's history API drops
 * those flags, so there a step made a layer when its Size is non-zero, did not when it is a
 * metadata-only instruction; zero-byte RUN/COPY/WORKDIR steps are decided by the count of
 * layers, and when the count cannot decide, the pairing fails rather than guesses.
 */
export function pairHistory(steps: HistoryStep[], diffIds: string[]): Pairing {
  const kinds = steps.map(classify)
  const sure = kinds.filter((k) => k === 'layer').length
  const maybe = kinds.filter((k) => k === 'maybe').length
  const need = diffIds.length - sure
  if (need < 0 || need > maybe) {
    return {
      ok: false,
      reason: `the history has ${sure + maybe} steps that may have created layers, the image has ${diffIds.length} layers`,
    }
  }
  if (need !== 0 && need !== maybe) {
    return {
      ok: false,
      reason: `${maybe} zero-byte history steps could have created ${need} of the layers`,
    }
  }
  const layerSteps = kinds
    .map((kind, step) => ({ kind, step }))
    .filter(({ kind }) => kind === 'layer' || (kind === 'maybe' && need === maybe))
  return {
    ok: true,
    layers: layerSteps.map(({ step }, i) => ({
      diffId: diffIds[i],
      instruction: steps[step].createdBy,
      step,
    })),
  }
}

function classify(step: HistoryStep): 'layer' | 'empty' | 'maybe' {
  if (step.emptyLayer !== undefined) return step.emptyLayer ? 'empty' : 'layer'
  if (step.size !== undefined && step.size > 0) return 'layer'
  return isMetadataOnly(step.createdBy) ? 'empty' : 'maybe'
}

/**
 * The build step of each layer from an image config (archives, registries): exact, thanks to
 * `empty_layer`. When the history does not pair, every step is '' and a note says why.
 */
export function configInstructions(
  config: OciImageConfig,
  diffIds: string[],
  reference: string,
): { instructions: string[]; notes: string[] } {
  const steps = (config.history ?? []).map((h) => ({
    createdBy: h.created_by ?? '',
    emptyLayer: h.empty_layer ?? false,
  }))
  const pairing = pairHistory(steps, diffIds)
  if (pairing.ok) return { instructions: pairing.layers.map((l) => l.instruction), notes: [] }
  return {
    instructions: diffIds.map(() => ''),
    notes: [
      `${reference}: the history does not match the layers (${pairing.reason}); build steps are not shown`,
    ],
  }
}
