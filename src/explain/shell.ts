/**
 * Just enough of a RUN step's shell text to see which package managers it calls and which
 * paths it deletes. Not a shell parser: commands are split at `&&`, `||`, `;`, `|` and
 * parentheses, words at white space, quotes dropped. Good for the idioms Dockerfiles use.
 */

/** One simple command: its leading `NAME=value` assignments, then its words. */
export interface Command {
  env: string[]
  words: string[]
}

export type Manager = 'apt' | 'apk' | 'yum' | 'dnf' | 'pip' | 'npm' | 'yarn' | 'bundle'

/** A package-manager command: the manager, its subcommand, its options and its operands. */
export interface PackageCommand {
  manager: Manager
  /** `install`, `add`, `ci`, `update`, `clean`, `purge`, `cache`…; `install` for a bare `yarn` */
  action: string
  /** Words starting with `-`, as written (`--no-cache`, `--omit=dev`) */
  options: string[]
  /** Other words after the subcommand (package names, `cache clean`'s `clean`) */
  operands: string[]
  /** Values of the options that take one (`--virtual NAME`, `-r FILE`), by option */
  values: Map<string, string[]>
}

const SEPARATORS = /&&|\|\||[;|()`]|\bthen\b|\bdo\b|\belse\b/
const PREFIX_WORDS = new Set(['sudo', 'exec', 'command', 'env', 'time', 'nice', '{', '!', 'if'])
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/

/** The simple commands of a normalised RUN instruction; none for other instructions. */
export function shellCommands(instruction: string): Command[] {
  if (!instruction.startsWith('RUN ')) return []
  return instruction
    .slice(4)
    .split(SEPARATORS)
    .map((part) => toCommand(part))
    .filter((command) => command.words.length > 0)
}

function toCommand(part: string): Command {
  const words = part
    .split(/\s+/)
    .map((word) => word.replace(/^[["']+|["',\]\\]+$/g, ''))
    .filter((word) => word !== '' && word !== '\\')
  const env: string[] = []
  while (words.length > 0 && (PREFIX_WORDS.has(words[0]) || ASSIGNMENT.test(words[0]))) {
    const word = words.shift() as string
    if (ASSIGNMENT.test(word)) env.push(word)
  }
  if (words[0]?.includes('/')) words[0] = words[0].slice(words[0].lastIndexOf('/') + 1)
  return { env, words }
}

/** Options that take the next word as their value, per manager. */
const VALUED: Record<Manager, Set<string>> = {
  apt: new Set(['-o', '-t', '-c', '--target-release', '--option', '--config-file']),
  apk: new Set(['-t', '--virtual', '-X', '--repository', '-p', '--root', '--arch']),
  yum: new Set(['-c', '--config', '--setopt', '--enablerepo', '--disablerepo', '--releasever']),
  dnf: new Set(['-c', '--config', '--setopt', '--enablerepo', '--disablerepo', '--releasever']),
  pip: new Set(['-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-i']),
  npm: new Set(['--prefix', '--cache', '--registry', '-w', '--workspace', '--omit', '--only']),
  yarn: new Set(['--cwd', '--cache-folder', '--modules-folder', '--network-timeout']),
  bundle: new Set(['--without', '--with', '--path', '--gemfile', '--jobs', '-j', '--retry']),
}

const EXECUTABLES: Record<string, Manager> = {
  'apt-get': 'apt',
  apt: 'apt',
  apk: 'apk',
  yum: 'yum',
  dnf: 'dnf',
  microdnf: 'dnf',
  npm: 'npm',
  yarn: 'yarn',
  bundle: 'bundle',
  bundler: 'bundle',
}

/** The package-manager command a simple command is, if it is one. */
export function packageCommand(command: Command): PackageCommand | undefined {
  let words = command.words
  // `python3 -m pip install …` is pip
  if (/^python[0-9.]*$/.test(words[0] ?? '') && words[1] === '-m' && words[2] === 'pip')
    words = words.slice(2)
  const manager = /^pip[0-9.]*$/.test(words[0] ?? '') ? 'pip' : EXECUTABLES[words[0] ?? '']
  if (!manager) return undefined
  const options: string[] = []
  const rest: string[] = []
  const values = new Map<string, string[]>()
  for (let i = 1; i < words.length; i++) {
    const word = words[i]
    if (!word.startsWith('-')) rest.push(word)
    else {
      options.push(word)
      if (VALUED[manager].has(word) && i + 1 < words.length)
        values.set(word, [...(values.get(word) ?? []), words[++i]])
    }
  }
  const bare = manager === 'yarn' && rest.length === 0
  return {
    manager,
    action: bare ? 'install' : (rest[0] ?? ''),
    options,
    operands: rest.slice(1),
    values,
  }
}

/** Every package-manager command of a RUN step, in order. */
export function packageCommands(commands: Command[]): PackageCommand[] {
  return commands.flatMap((command) => packageCommand(command) ?? [])
}

/** An option is given, as `--flag` or `--flag=value` (`value` checked when asked for). */
export function hasOption(command: PackageCommand, name: string, value?: RegExp): boolean {
  return command.options.some((option) => {
    if (option === name) return value === undefined || hasValue(command, name, value)
    if (!option.startsWith(`${name}=`)) return false
    return value === undefined || value.test(option.slice(name.length + 1))
  })
}

function hasValue(command: PackageCommand, name: string, value: RegExp): boolean {
  return (command.values.get(name) ?? []).some((v) => value.test(v))
}

/** The paths that `rm` commands delete, as written (`/var/lib/apt/lists/*`). */
export function removedPaths(commands: Command[]): Array<{ path: string; command: Command }> {
  return commands
    .filter((command) => command.words[0] === 'rm')
    .flatMap((command) =>
      command.words
        .slice(1)
        .filter((word) => !word.startsWith('-'))
        .map((path) => ({ path, command })),
    )
}

/** A package name without its version or tag: `libpq-dev=15.*` → `libpq-dev`. */
export function packageName(operand: string): string {
  return operand.replace(/[=<>~@:].*$/, '').toLowerCase()
}

/** The command as one line of text, for quoting. */
export function commandText(command: Command): string {
  return [...command.env, ...command.words].join(' ')
}
