/**
 * A Dockerfile parser good enough to map an image's layers back to its lines: parser directives
 * (`# escape=`), line continuations, comments, heredocs (`RUN <<EOF`), JSON and shell forms,
 * flags, and stages (`FROM image AS name`). It keeps what matching needs and where each
 * instruction is (1-based lines). Dockerfile text is untrusted: it is only compared, never run.
 * https://docs.docker.com/reference/dockerfile/
 */

export interface Heredoc {
  name: string
  /** The lines between the marker and the terminator, each ending in `\n` */
  body: string
}

export interface DockerfileInstruction {
  /** Upper-cased: RUN, COPY, FROM, … */
  keyword: string
  /** Leading `--name=value` flags (`--from=build`, `--chown=app`, `--mount=…`) */
  flags: string[]
  /** The rest, continuation lines joined (escape and newline removed), flags left out */
  args: string
  /** The exec (JSON) form's array, when the arguments are one */
  json?: string[]
  heredocs: Heredoc[]
  /** First and last line of the instruction in the file, 1-based */
  startLine: number
  endLine: number
}

export interface DockerfileStage {
  /** The FROM line's image or stage, as written (`${BASE}` not substituted) */
  from: string
  /** The `AS name`, lower-cased; undefined without one */
  name?: string
  fromInstruction: DockerfileInstruction
  /** The instructions after FROM, in order */
  instructions: DockerfileInstruction[]
}

export interface Dockerfile {
  /** ARGs before the first FROM (global: usable in FROM lines) */
  globalArgs: DockerfileInstruction[]
  stages: DockerfileStage[]
}

const DIRECTIVE = /^#\s*([A-Za-z]+)\s*=\s*(\S+)\s*$/
const INSTRUCTION = /^\s*([A-Za-z]+)(?:\s+(.*))?$/
const HEREDOC = /<<(-?)\s*(["']?)([A-Za-z0-9_]+)\2/g
const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD'])

/** The escape character set by a `# escape=` directive at the top; `\` by default. */
function readEscape(lines: string[]): { escape: string; first: number } {
  let escape = '\\'
  let i = 0
  for (; i < lines.length; i++) {
    const match = DIRECTIVE.exec(lines[i])
    if (!match) break
    if (match[1].toLowerCase() === 'escape' && (match[2] === '`' || match[2] === '\\'))
      escape = match[2]
  }
  return { escape, first: i }
}

const isComment = (line: string) => /^\s*#/.test(line)

export function parseDockerfile(text: string): Dockerfile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  const { escape, first } = readEscape(lines)
  const result: Dockerfile = { globalArgs: [], stages: [] }
  let i = first
  while (i < lines.length) {
    if (lines[i].trim() === '' || isComment(lines[i])) {
      i++
      continue
    }
    const start = i
    // A logical line: physical lines joined while one ends in the escape character.
    let logical = ''
    for (;;) {
      const line = lines[i].replace(/\s+$/, '')
      if (line.endsWith(escape) && i + 1 < lines.length) {
        logical += line.slice(0, -1)
        i++
        // Comment and empty lines inside a continuation are dropped, as Docker does.
        while (i < lines.length && (isComment(lines[i]) || lines[i].trim() === '')) i++
        if (i >= lines.length) break
        continue
      }
      logical += line.endsWith(escape) ? line.slice(0, -1) : line
      i++
      break
    }
    const match = INSTRUCTION.exec(logical)
    if (!match) continue
    const keyword = match[1].toUpperCase()
    const rest = (match[2] ?? '').trim()
    const heredocs: Heredoc[] = []
    if (HEREDOC_KEYWORDS.has(keyword)) {
      for (const marker of rest.matchAll(HEREDOC)) {
        const name = marker[3]
        const body: string[] = []
        while (i < lines.length && lines[i].trim() !== name) {
          body.push(marker[1] === '-' ? lines[i].replace(/^\t+/, '') : lines[i])
          i++
        }
        i++ // the terminator
        heredocs.push({ name, body: body.map((l) => `${l}\n`).join('') })
      }
    }
    const instruction = makeInstruction(
      keyword,
      rest,
      heredocs,
      start + 1,
      Math.min(i, lines.length),
    )
    addInstruction(result, instruction)
  }
  return result
}

function makeInstruction(
  keyword: string,
  rest: string,
  heredocs: Heredoc[],
  startLine: number,
  endLine: number,
): DockerfileInstruction {
  const flags: string[] = []
  let args = rest
  for (;;) {
    const flag = /^(--[A-Za-z-]+(?:=\S*)?)\s*/.exec(args)
    if (!flag || keyword === 'FROM') break
    flags.push(flag[1])
    args = args.slice(flag[0].length)
  }
  if (keyword === 'FROM') {
    const platform = /^--platform=\S+\s+/.exec(args)
    if (platform) {
      flags.push(platform[0].trim())
      args = args.slice(platform[0].length)
    }
  }
  return { keyword, flags, args, json: parseJsonForm(args), heredocs, startLine, endLine }
}

function parseJsonForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined
  try {
    const value: unknown = JSON.parse(args)
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value
  } catch {
    // Not JSON: Docker runs it in the shell form, and so is it read here.
    return undefined
  }
  return undefined
}

function addInstruction(result: Dockerfile, instruction: DockerfileInstruction): void {
  if (instruction.keyword === 'FROM') {
    const parts = instruction.args.split(/\s+/)
    const name = parts.length >= 3 && parts[1].toLowerCase() === 'as' ? parts[2] : undefined
    result.stages.push({
      from: parts[0] ?? '',
      name: name?.toLowerCase(),
      fromInstruction: instruction,
      instructions: [],
    })
    return
  }
  const stage = result.stages.at(-1)
  if (stage) stage.instructions.push(instruction)
  else if (instruction.keyword === 'ARG') result.globalArgs.push(instruction)
}
