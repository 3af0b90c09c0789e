import {
  packageCommands,
  packageName,
  removedPaths,
  type Command,
  type Manager,
  type PackageCommand,
} from './shell.js'

/** Subcommands that download packages or indexes, per manager. */
const INSTALLS: Record<Manager, Set<string>> = {
  apt: new Set(['install', 'update', 'upgrade', 'dist-upgrade', 'full-upgrade']),
  apk: new Set(['add', 'update', 'upgrade']),
  yum: new Set(['install', 'groupinstall', 'group', 'update', 'upgrade', 'makecache']),
  dnf: new Set(['install', 'groupinstall', 'group', 'update', 'upgrade', 'makecache']),
  pip: new Set(['install', 'download', 'wheel']),
  npm: new Set(['install', 'i', 'ci', 'add', 'update', 'isntall']),
  yarn: new Set(['install', 'add']),
  bundle: new Set(['install', 'update']),
}

/** Subcommands that remove packages, per manager. */
const REMOVES: Partial<Record<Manager, Set<string>>> = {
  apt: new Set(['purge', 'remove', 'autoremove']),
  apk: new Set(['del']),
  yum: new Set(['remove', 'erase', 'autoremove']),
  dnf: new Set(['remove', 'erase', 'autoremove']),
}

export function isInstall(command: PackageCommand): boolean {
  return INSTALLS[command.manager].has(command.action)
}

export function usesManager(commands: Command[], manager: Manager): boolean {
  return packageCommands(commands).some((c) => c.manager === manager && isInstall(c))
}

/** Package names a command installs (system packages, and `npm install -g` tools). */
export function installedPackages(command: PackageCommand): string[] {
  const { manager, action, operands } = command
  if (manager === 'yum' || manager === 'dnf') {
    const names = action === 'group' ? operands.slice(1) : operands
    if (action === 'install' || action === 'groupinstall' || action === 'group') {
      const joined = names.join(' ')
      return /development tools/i.test(joined) ? ['Development Tools'] : names.map(packageName)
    }
    return []
  }
  const installs =
    (manager === 'apt' && action === 'install') ||
    (manager === 'apk' && action === 'add') ||
    (manager === 'npm' && ['install', 'i', 'add'].includes(action))
  return installs ? operands.map(packageName) : []
}

/**
 * What the same RUN removes again (`apt-get purge`, `apk del`, `yum remove`): names, and the
 * managers whose removals cannot be read (a `$VARIABLE`, or `autoremove`), which are taken as
 * removing everything they installed.
 */
export function removedPackages(commands: Command[]): { names: Set<string>; all: Set<Manager> } {
  const names = new Set<string>()
  const all = new Set<Manager>()
  for (const command of packageCommands(commands)) {
    if (!REMOVES[command.manager]?.has(command.action)) continue
    const unreadable =
      command.operands.length === 0 || command.operands.some((o) => o.includes('$'))
    if (unreadable) all.add(command.manager)
    command.operands.forEach((o) => names.add(packageName(o)))
  }
  return { names, all }
}

/** The packages a RUN installs and keeps (not removed again in the same RUN). */
export function keptPackages(commands: Command[]): string[] {
  const removed = removedPackages(commands)
  const kept = packageCommands(commands).flatMap((command) => {
    if (removed.all.has(command.manager)) return []
    const virtual = [
      ...(command.values.get('--virtual') ?? []),
      ...(command.values.get('-t') ?? []),
    ]
    if (command.manager === 'apk' && virtual.some((v) => removed.names.has(packageName(v))))
      return []
    return installedPackages(command).filter((name) => !removed.names.has(name))
  })
  return [...new Set(kept)]
}

/** The RUN deletes (`rm`) a path that matches, e.g. `/var/lib/apt/lists/*`. */
export function deletes(commands: Command[], pattern: RegExp): boolean {
  return removedPaths(commands).some(({ path }) => pattern.test(path))
}

export function hasEnv(commands: Command[], name: string, value?: RegExp): boolean {
  return commands.some((c) =>
    c.env.some((e) => e.startsWith(`${name}=`) && (!value || value.test(e.slice(name.length + 1)))),
  )
}

export function runs(commands: Command[], manager: Manager, action: string, operand?: string) {
  return packageCommands(commands).some(
    (c) =>
      c.manager === manager &&
      c.action === action &&
      (operand === undefined || c.operands.includes(operand)),
  )
}
