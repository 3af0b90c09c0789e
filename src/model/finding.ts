/**
 * Why an image grew, as data: which layers, which commands, paths and packages, how many bytes.
 * Explain rules find them; renderers word them (format/finding-words.ts), so text from the PR
 * is never mixed into prose that a renderer would have to take apart again.
 */

/** A layer a rule points at, and what in it the rule saw. 1-based head positions. */
export interface LayerHit<T> {
  layer: number
  /** What the rule saw in that layer */
  seen: T
}

/** The package managers whose caches a RUN can leave behind */
export type CacheManager = 'apt' | 'apk' | 'pip' | 'npm' | 'yarn' | 'yum' | 'dnf'
/** The package managers whose development dependencies a RUN can install */
export type DevManager = 'npm' | 'pip' | 'bundle'

export type Evidence =
  | {
      kind: 'fat-base-image'
      /** How many layers come from the FROM image, in the PR image and in the base */
      headLayers: number
      baseLayers: number
      /** Their growth, bytes, and as a percentage of the base image (undefined: no base size) */
      growth: number
      percentOfBase?: number
      /** Head positions of those layers that changed or are new */
      grown: number[]
    }
  | {
      kind: 'build-tools-in-final-image'
      /** Packages and toolchain paths each layer keeps (untrusted) */
      hits: Array<LayerHit<string[]>>
    }
  | {
      kind: 'package-cache-left'
      /** Each manager's cache, and the layers it stays in */
      caches: Array<{ manager: CacheManager; layers: number[] }>
    }
  | {
      kind: 'deleted-in-later-layer'
      /** Each deletion: the layer and command (untrusted), and the earlier layers it undoes */
      deletions: Array<{ layer: number; command: string; creators: number[]; creatorBytes: number }>
    }
  | {
      kind: 'broad-copy'
      /** The whole-context COPY or ADD of each layer (untrusted) */
      hits: Array<LayerHit<string>>
    }
  | {
      kind: 'dev-dependencies'
      /** The commands that install development dependencies, per layer (untrusted) */
      hits: Array<LayerHit<string[]>>
      /** The managers involved, in the order their idioms are given */
      managers: DevManager[]
    }
  | {
      kind: 'metadata-copy-up'
      /** The metadata-only commands of each layer, joined with ` && ` (untrusted) */
      hits: Array<LayerHit<string>>
    }

export interface Finding {
  /** The rule that found it: `build-tools-in-final-image`, … */
  key: string
  /** 1-based head positions of the layers it points at, or base positions for removed layers */
  layers: number[]
  /**
   * Growth attributed, bytes on the comparison's basis. One layer can have several causes, so
   * the findings' bytes can add up to more than the total change.
   */
  bytes?: number
  /** What was seen */
  evidence: Evidence
}
