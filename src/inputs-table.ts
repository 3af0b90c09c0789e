/**
 * Every input of the action and option of the CLI, described once. The action reads its inputs
 * from this table (src/action/inputs.ts), the CLI builds its parseArgs options and its --help
 * from it (src/cli/cli.ts), and `RawOptions` (src/options.ts) is derived from it. action.yml
 * stays a committed file, because GitHub reads it: __tests__/inputs-table.test.ts fails when
 * action.yml, the CLI's --help or the README's inputs table disagree with this table.
 */

/** How the text of an input is read: as is, `true`/`false`, or a comma- or line-separated list. */
export type InputKind = 'string' | 'boolean' | 'list'

/** Where an input applies: the action only, the CLI only, or both (the comparison's options). */
export type InputScope = 'action' | 'cli' | 'both'

/** How the CLI takes an input: a positional argument, or --NAME VALUE with a line of help. */
export type CliForm =
  | { positional: 'BASE' | 'HEAD' }
  /** `help` absent: written on one help line with the next option (a pair such as U and P) */
  | { value: string; help?: string }

export interface InputSpec {
  scope: InputScope
  kind: InputKind
  /** The default as action.yml writes it ('' for none) */
  default: string
  /** Masked in the log as soon as it is read */
  secret?: boolean
  cli?: CliForm
  /** action.yml's description, folded to one line */
  description: string
}

/** Folds a description written over several lines into one, as YAML's `>-` does. */
function fold(strings: TemplateStringsArray): string {
  return strings.raw.join('').replace(/\s+/g, ' ').trim()
}

/** In action.yml's order; the CLI's --help has its own order (see cli.ts). */
export const INPUTS = {
  'head-image': {
    scope: 'both',
    kind: 'string',
    default: '',
    cli: { positional: 'HEAD' },
    description: fold`
      The pull request's image. A bare reference (app:pr-7, ghcr.io/org/app:pr-7, app@sha256:…) is
      read from the Docker engine and pulled when missing; docker-daemon:REF reads the engine
      without pulling. Required unless context is set: then leave it empty to build the PR image
      from the workspace.`,
  },
  'base-image': {
    scope: 'both',
    kind: 'string',
    default: '',
    cli: { positional: 'BASE' },
    description: fold`
      The base branch's image, in the same forms as head-image. When it is missing (see
      base-missing) the report has no baseline and the increase budgets are skipped. Empty: no
      baseline (or, with context, the base is built from the PR's base commit).`,
  },
  'base-missing': {
    scope: 'both',
    kind: 'string',
    default: 'no-baseline',
    cli: {
      value: 'WHAT',
      help: 'no-baseline (default: compare without one) or fail (an error, exit 3)',
    },
    description: fold`
      What a missing base image does. no-baseline - compare without a baseline: the increase
      budgets are skipped, and the comment says so in its first lines. fail - the step fails at
      once (for teams whose base image always exists). Missing means there is nothing to compare
      with - the reference does not exist (the engine has no such image and a pull finds none, the
      registry answers 404 / MANIFEST_UNKNOWN / NAME_UNKNOWN, the archive or layout file or the
      image named in it does not exist), the image has no manifest for a compared platform,
      base-image is empty, or in build mode the base commit has no Dockerfile, does not build, or
      there is no base commit (not a pull request). An engine that cannot be reached, a registry
      that denies access or a network failure is an error whatever this says.`,
  },
  images: {
    scope: 'action',
    kind: 'string',
    default: '',
    description: fold`
      Several images in one run - a YAML list, one mapping per image - name (required, unique -
      letters, digits, ., _ and -) and any of head-image, base-image, base-missing, context,
      dockerfile, target, build-args, cache-from, cache-to, the budgets (max-size ... max-drift,
      secrets, dive-ci), platforms,
      size-basis, file-analysis and annotations; the step's own inputs are every image's defaults
      (head-image, base-image and context are per image only). One comment with an overview row
      per image and platform and a section per image; at most 50 images.`,
  },
  'max-size': {
    scope: 'both',
    kind: 'string',
    default: 'off',
    cli: { value: 'SIZE', help: 'fail above this size (500MB, 1.5GB, 300MiB)' },
    description: fold`
      Fail when the PR image is larger than this, e.g. 500MB, 1.5GB, 300MiB (kB/MB/GB are decimal,
      KiB/MiB/GiB binary), or off.`,
  },
  'warn-size': {
    scope: 'both',
    kind: 'string',
    default: 'off',
    cli: { value: 'SIZE', help: 'warn above this size' },
    description: fold`
      Warn (without failing) when the PR image is larger than this. Same units as max-size.`,
  },
  'max-increase': {
    scope: 'both',
    kind: 'string',
    default: 'off',
    cli: { value: 'LIMIT', help: 'fail when grown by more than SIZE, PERCENT% or both (20MB,5%)' },
    description: fold`
      Fail when the PR image grew by more than this against the base, as a size (20MB), a
      percentage of the base (5%), both (20MB,5% - either one breached fails), or off.`,
  },
  'warn-increase': {
    scope: 'both',
    kind: 'string',
    default: 'off',
    cli: { value: 'LIMIT', help: 'warn when grown by more than this' },
    description: fold`
      Warn when the PR image grew by more than this. Same forms as max-increase; must not exceed
      it.`,
  },
  'max-layers': {
    scope: 'both',
    kind: 'string',
    default: 'off',
    cli: { value: 'N', help: 'fail above N layers' },
    description: fold`
      Fail when the PR image has more layers than this whole number, or off.`,
  },
  'max-drift': {
    scope: 'both',
    kind: 'string',
    default: 'off',
    cli: { value: 'LIMIT/WINDOW', help: 'fail when over the base branch a window ago (10%/30d)' },
    description: fold`
      Fail when the PR image would be more than this above the base branch's size at the start of a
      window of its size history, however small the PR's own increase - a growth as for
      max-increase, a slash and a window in days or weeks from 1d to 730d (10%/30d, 50MB/90d,
      50MiB/12w), or off. Skipped, with a note, when the history is empty or does not reach back
      to the window's start.`,
  },
  'warn-drift': {
    scope: 'both',
    kind: 'string',
    default: 'off',
    cli: { value: 'LIMIT/WINDOW', help: 'warn when over the base branch a window ago' },
    description: fold`
      Warn when the PR image would be more than this above the base branch's size at the start of
      the window. Same forms as max-drift; with the same window it must not exceed it.`,
  },
  'file-analysis': {
    scope: 'both',
    kind: 'boolean',
    default: 'true',
    cli: { value: 'BOOL', help: 'false: layer figures only, without reading the files (faster)' },
    description: fold`
      Read every file of every layer (what grew by path, packages, waste, dive's figures, secret
      files), true or false. false gives the layer figures alone, at the speed of reading layer
      sizes; the file budgets below are then skipped.`,
  },
  'max-reclaimable': {
    scope: 'both',
    kind: 'string',
    default: 'off',
    cli: { value: 'SIZE', help: 'fail above this many reclaimable bytes (hidden copies)' },
    description: fold`
      Fail when the PR image stores more than this in copies a container can never see
      (reclaimable bytes - files overwritten or deleted by a later layer), e.g. 50MB, or off.`,
  },
  'max-reclaimable-increase': {
    scope: 'both',
    kind: 'string',
    default: 'off',
    cli: { value: 'SIZE', help: 'fail when the PR added more than this to them' },
    description: fold`
      Fail when the PR's own layers added more than this to the reclaimable bytes, e.g. 1MB, or
      off. Skipped without a baseline.`,
  },
  'min-efficiency': {
    scope: 'both',
    kind: 'string',
    default: '',
    cli: { value: 'RATIO', help: "fail below dive's efficiency score (0.95 or 95%)" },
    description: fold`
      Fail when dive's efficiency score of the PR image is below this, as a ratio (0.95) or a
      percentage (95%), or off. Empty - the dive-ci file's lowestEfficiency, else off.`,
  },
  'max-wasted-bytes': {
    scope: 'both',
    kind: 'string',
    default: '',
    cli: { value: 'SIZE', help: "fail above dive's wasted bytes" },
    description: fold`
      Fail when dive's wasted bytes of the PR image are more than this, e.g. 20MB, or off.
      Empty - the dive-ci file's highestWastedBytes, else off.`,
  },
  'max-wasted-user-percent': {
    scope: 'both',
    kind: 'string',
    default: '',
    cli: { value: 'RATIO', help: "fail above dive's wasted-user ratio (0.2 or 20%)" },
    description: fold`
      Fail when dive's wasted bytes are more than this share of the bytes above the first layer,
      as a ratio (0.2, as dive writes it) or a percentage (20%), or off. Empty - the dive-ci
      file's highestUserWastedPercent, else off.`,
  },
  'dive-ci': {
    scope: 'both',
    kind: 'string',
    default: '',
    cli: { value: 'FILE', help: "take the three dive budgets from dive's .dive-ci file" },
    description: fold`
      A dive CI file (.dive-ci) whose rules lowestEfficiency, highestWastedBytes and
      highestUserWastedPercent set min-efficiency, max-wasted-bytes and max-wasted-user-percent,
      read as dive reads it (disabled, sizes such as 20MB, dive's defaults for a rule left out);
      an input that is set wins over the file.`,
  },
  secrets: {
    scope: 'both',
    kind: 'string',
    default: '',
    cli: { value: 'WHAT', help: 'secret files in the PR image: fail (default), warn or off' },
    description: fold`
      What secret-like files in the PR image (.env, private keys, tokens in .npmrc or .pypirc,
      cloud credentials, Docker auths), visible or in a hidden copy, do to the result - fail, warn
      or off. Empty - fail, and no check at all with file-analysis false. Ones only in layers the
      base image already has warn. The comment names their paths whatever this says, never their
      content.`,
  },
  'accept-label': {
    scope: 'action',
    kind: 'string',
    default: 'image-size-accepted',
    description: fold`
      A PR label that accepts an increase: while the PR has it, failed size budgets (all but
      secrets) are warnings, and the comment says who applied the label and when (read from the
      PR's events). It accepts any increase. Empty - labels accept nothing.`,
  },
  'accept-in-body': {
    scope: 'action',
    kind: 'boolean',
    default: 'true',
    description: fold`
      Whether a line "image-size-gate: accept +40MB" (or "+5%") in the PR description accepts an
      increase up to that amount: failed size budgets (all but secrets) are warnings when the
      image grew by at most it. true or false.`,
  },
  'size-basis': {
    scope: 'both',
    kind: 'string',
    default: 'uncompressed',
    cli: { value: 'BASIS', help: 'uncompressed (default) or compressed' },
    description: fold`
      Which bytes the sizes, budgets and size outputs measure: uncompressed (layer content, as the
      overlay2 engine's docker history reports it) or compressed (registry blobs, what docker pull
      downloads).`,
  },
  platforms: {
    scope: 'both',
    kind: 'list',
    default: '',
    cli: {
      value: 'LIST',
      help: 'compare these platforms (linux/amd64,linux/arm64), one entry each',
    },
    description: fold`
      Platforms to compare, comma-separated (linux/amd64,linux/arm64), one report row each; for
      multi-platform images in a registry (docker://) or an OCI layout. Default - the one platform
      the image has, or the runner's platform from an image index. Attestation manifests are never
      compared.`,
  },
  'insecure-registries': {
    scope: 'both',
    kind: 'list',
    default: '',
    cli: { value: 'LIST', help: 'registries to reach over plain HTTP (loopback always is)' },
    description: fold`
      Registries (host[:port], comma-separated) that docker:// references reach over plain HTTP,
      e.g. a registry service container at registry:5000. Loopback registries always are; all
      others use HTTPS.`,
  },
  comment: {
    scope: 'action',
    kind: 'boolean',
    default: 'true',
    description: fold`
      Post (or update) the sticky PR comment. true or false. The job summary is written either
      way.`,
  },
  'comment-mode': {
    scope: 'action',
    kind: 'string',
    default: 'update',
    description: fold`
      How the sticky comment changes from run to run. update - edit it in place. recreate - hide
      the previous one (minimized as outdated) and post a new one. off - no PR comment (as
      comment: false).`,
  },
  'comment-when': {
    scope: 'action',
    kind: 'string',
    default: 'always',
    description: fold`
      When to post or update the comment. always. changed - only when the report differs from
      the previous comment's (a content hash in the comment). problems - only when the verdict is
      warn or fail; a comment already there is still updated when the verdict is back to pass.`,
  },
  'delete-stale': {
    scope: 'action',
    kind: 'boolean',
    default: 'false',
    description: fold`
      true: when the verdict is pass and no image grew, delete the sticky comment instead of
      updating it. true or false.`,
  },
  'check-run': {
    scope: 'action',
    kind: 'boolean',
    default: 'false',
    description: fold`
      true: also create a check run on the PR's head commit, named after comment-key, with the
      verdict as its conclusion and the report as its summary. Needs checks write. true or false.`,
  },
  'comment-key': {
    scope: 'action',
    kind: 'string',
    default: '',
    description: fold`
      Identifies the sticky comment, so that several images (matrix builds) each keep their own.
      Default: the head image's repository name.`,
  },
  mode: {
    scope: 'action',
    kind: 'string',
    default: 'measure',
    description: fold`
      measure (compare the images, write the report, comment), aggregate (read the reports of
      matrix legs and post one combined comment) or publish (in a workflow_run workflow, read a
      fork's report and comment on its pull request, found through the API). aggregate and publish
      read only the reports input and never run or read an image.`,
  },
  reports: {
    scope: 'action',
    kind: 'list',
    default: '',
    description: fold`
      For aggregate and publish - the JSON reports to read: files or directories (every
      report-*.json below them, e.g. where actions/download-artifact put the legs' artifacts),
      comma- or line-separated. Untrusted input - checked and escaped again.`,
  },
  history: {
    scope: 'action',
    kind: 'boolean',
    default: 'false',
    description: fold`
      Keep a size history in this repository, true or false. On push (or workflow_dispatch,
      schedule) to the default branch or a history-record-on branch, the run's sizes are appended
      to the history-branch through the GitHub API (needs contents write); on pull requests the
      base branch's history is read for the trend. Pull request runs never write it. Off by
      default: it creates a branch in the repository.`,
  },
  'history-branch': {
    scope: 'action',
    kind: 'string',
    default: 'image-size-gate-history',
    description: fold`
      The branch that holds the size history (created, without a parent, on the first write).
      Written only by this action, one JSON file per image key and recorded branch.`,
  },
  'history-record-on': {
    scope: 'action',
    kind: 'list',
    default: '',
    description: fold`
      The branches whose pushes are recorded, comma- or line-separated (main, release/2.x).
      Default - the repository's default branch.`,
  },
  context: {
    scope: 'action',
    kind: 'string',
    default: '',
    description: fold`
      Build the images instead of reading them: the build context, relative to the repository root
      (e.g. .). With it, leave head-image empty to build the PR image from the workspace, and
      base-image empty to build the base image from the PR's base commit (a temporary git
      worktree; fetched when the checkout is shallow). A base that does not build is reported as
      "no baseline", with the end of its build log.`,
  },
  dockerfile: {
    scope: 'action',
    kind: 'string',
    default: '',
    description: fold`
      The Dockerfile to build, relative to the repository root. Default - Dockerfile in the
      context. Without context (images given), the Dockerfile the PR image was built from, for the
      annotations only.`,
  },
  target: {
    scope: 'action',
    kind: 'string',
    default: '',
    description: fold`
      The stage of a multi-stage Dockerfile to build (docker build --target); without context, the
      stage the PR image was built as, for the annotations. Default - the last stage.`,
  },
  annotations: {
    scope: 'action',
    kind: 'boolean',
    default: 'true',
    description: fold`
      Annotate the Dockerfile's lines, in the PR's diff view - the step whose layer grew the image
      most (and others that grew it by 1 MB or more) and each finding on the step it points at,
      at most 8. true or false. Needs the Dockerfile - context (build mode) or dockerfile. Layers
      that cannot be matched to a step for certain are not annotated.`,
  },
  'build-args': {
    scope: 'action',
    kind: 'list',
    default: '',
    description: fold`
      Build arguments, KEY=VALUE, one per line or comma-separated (quote an item that contains a
      comma: "LIST=a,b").`,
  },
  'build-network': {
    scope: 'action',
    kind: 'string',
    default: '',
    description: fold`
      Network for RUN steps during the builds (docker build --network), e.g. host on self-hosted
      engines without a bridge.`,
  },
  'cache-from': {
    scope: 'action',
    kind: 'list',
    default: '',
    description: fold`
      Build caches to read, one per line, as docker/build-push-action takes them -
      type=registry,ref=IMAGE, type=gha, type=local,src=DIR, or a plain image reference. type=…
      needs buildx (docker/setup-buildx-action); without it the classic builder reads plain image
      references only (pulled first). The base image is built after the PR image and reuses its
      steps.`,
  },
  'cache-to': {
    scope: 'action',
    kind: 'list',
    default: '',
    description: fold`
      Build caches to write from the PR image's build, one per line - type=registry,ref=IMAGE,
      type=gha, type=local,dest=DIR, type=inline. Needs buildx (docker/setup-buildx-action); without it the
      step fails before building anything.`,
  },
  'github-token': {
    scope: 'action',
    kind: 'string',
    default: '${{ github.token }}',
    description: fold`
      Token used to read and write the PR comment. Needs pull-requests write.`,
  },
  registry: {
    scope: 'both',
    kind: 'string',
    default: '',
    cli: {
      value: 'HOST',
      help: "the one registry they are for (default: the images' only registry)",
    },
    description: fold`
      The registry registry-username and registry-password are for (ghcr.io, docker.io,
      host:port); they are sent to it and to the token service it names, and to no other registry,
      only over HTTPS (or to loopback). Default - the one registry the images are pulled from;
      required when they are on several.`,
  },
  'registry-username': {
    scope: 'both',
    kind: 'string',
    default: '',
    cli: { value: 'U' },
    description: fold`
      Username for pulling images from the registry input's registry. Default: the Docker config
      (auths, credHelpers, credsStore), each login used only for its own registry.`,
  },
  'registry-password': {
    scope: 'both',
    kind: 'string',
    default: '',
    secret: true,
    cli: { value: 'P', help: 'registry credentials' },
    description: fold`Password or token for registry-username.`,
  },

  format: {
    scope: 'cli',
    kind: 'string',
    default: 'text',
    cli: { value: 'FORMAT', help: 'text (default), markdown or json' },
    description: fold`The report's format on stdout: text, markdown (the PR comment) or json.`,
  },
} as const satisfies Record<string, InputSpec>

export type InputName = keyof typeof INPUTS
type NamesIn<S extends InputScope> = {
  [K in InputName]: (typeof INPUTS)[K]['scope'] extends S ? K : never
}[InputName]
/** The action's inputs (action.yml) */
export type ActionInputName = NamesIn<'action' | 'both'>
/** The comparison's options: inputs of the action and options (or positionals) of the CLI */
export type OptionName = NamesIn<'both'>

/** Inputs read as true or false */
export type BooleanInputName = {
  [K in InputName]: (typeof INPUTS)[K]['kind'] extends 'boolean' ? K : never
}[InputName]

export const INPUT_NAMES = Object.keys(INPUTS) as InputName[]

export function inputNames<S extends InputScope>(...scopes: S[]): Array<NamesIn<S>> {
  return INPUT_NAMES.filter((name) =>
    (scopes as InputScope[]).includes(INPUTS[name].scope),
  ) as Array<NamesIn<S>>
}
