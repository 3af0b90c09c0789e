/**
 * Why an image grew, as data: which layers, which commands, paths and packages, how many bytes.
 * Explain rules find them; renderers word them (format/finding-words.ts), so text from the PR
 * is never mixed into prose that a renderer would have to take apart again.
 */

import type { OsRelease, PackageManager, SecretFile } from './files.js'

/** A layer a rule points at, and what in it the rule saw. 1-based head positions. */
export interface LayerHit<T> {
  layer: number
  /** What the rule saw in that layer */
  seen: T
}

/** The package managers whose caches a RUN can leave behind */
export type CacheManager =
  'apt' | 'apk' | 'pip' | 'npm' | 'yarn' | 'pnpm' | 'go' | 'gem' | 'cargo' | 'yum' | 'dnf'
/** The package managers whose development dependencies a RUN can install */
export type DevManager = 'npm' | 'pip' | 'bundle'

/** A path the evidence is made of: a visible file, a hidden copy, a package directory */
export interface EvidencePath {
  /** Untrusted */
  path: string
  bytes: number
  /** The layer that wrote it (1-based head position) */
  layer: number
}

/** A layer's share of a finding's evidence, with the step that wrote it */
export interface LayerShare {
  layer: number
  /** The layer's normalised instruction (untrusted); '' when not known */
  instruction: string
  bytes: number
  /** How many evidence paths it wrote */
  count: number
}

/** All the evidence paths of a finding in the PR image (not only the listed ones) */
export interface FileSet {
  count: number
  bytes: number
  /** By the layer that wrote them, bottom first */
  layers: LayerShare[]
}

/** A package the evidence names */
export interface EvidencePackage {
  manager: PackageManager
  /** Untrusted */
  name: string
  /** Untrusted; null when not known */
  version: string | null
  bytes: number | null
  layer: number
}

/** What a build tool path is */
export type ToolKind = 'compiler' | 'headers' | 'static-library' | 'sdk'
/** What a build context leak is */
export type LeakKind = 'git' | 'node_modules' | 'tests' | 'docs' | 'ci'

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
      /** The PR image's distribution, when the file analysis read it */
      os?: OsRelease
    }
  | {
      kind: 'cache-files'
      manager: CacheManager
      files: FileSet
    }
  | {
      kind: 'build-tool-files'
      /** What the paths are, largest share first */
      tools: Array<{ tool: ToolKind; bytes: number; count: number }>
      /** Build tool packages the package databases list */
      packages: EvidencePackage[]
      files: FileSet
    }
  | {
      kind: 'context-files'
      /** What leaked, largest first */
      leaks: Array<{ leak: LeakKind; bytes: number; count: number }>
      files: FileSet
    }
  | {
      kind: 'secret-files'
      /** Path, kind and layer of each; never the content */
      secrets: Array<SecretFile & { instruction: string }>
    }
  | {
      kind: 'hidden-copies'
      /** Hidden copies by the layer that stored them and the layer that hid them, largest first */
      groups: Array<{
        stored: LayerShare
        hiddenBy: { layer: number; instruction: string }
        /** Bytes of the copies deleted (the rest were overwritten) */
        deletedBytes: number
        /** The hiding step only changes permissions, owners or times (a copy-up) */
        copyUp: boolean
      }>
      count: number
      bytes: number
    }
  | {
      kind: 'dev-packages'
      /** npm packages only the app's devDependencies need, and test packages in site-packages */
      packages: EvidencePackage[]
      /** Known bytes of all of them */
      bytes: number
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
  | {
      /**
       * A finding read back from a JSON report (report/read-report.ts): already worded by the
       * run that wrote it. Untrusted: renderers escape its prose and rebuild its code as usual.
       */
      kind: 'reported'
      /** The evidence kind the writing run had */
      of: Exclude<EvidenceKind, 'reported'>
      title: string
      detail: Array<string | { code: string }>
      fix: Array<string | { code: string }>
    }

export type EvidenceKind = Evidence['kind']

export interface Finding {
  /** The cause it names: `build-tools-in-final-image`, `secret-file`, … */
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
  /**
   * Already true of the base image (the same cause is in its files): it does not count against
   * the PR, and `bytes` are only what the PR's own layers wrote.
   */
  inBase?: boolean
  /** A guess from the instructions, without file evidence */
  hint?: boolean
  /**
   * The largest evidence paths (at most 20), largest first; `bytes` is the exact total over
   * all of them, not only these
   */
  paths?: EvidencePath[]
}
