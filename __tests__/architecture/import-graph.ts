/**
 * The import graph of `src/`, read from the source text: every `import … from`, `export … from`,
 * side-effect `import '…'` and dynamic `import('…')` specifier of every .ts file.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, posix, relative, sep } from 'node:path'

export interface ImportEdge {
  /** The importing file, relative to the source root, with `/` separators */
  from: string
  /** The specifier as written */
  specifier: string
  /** For relative specifiers, the imported file relative to the source root */
  target?: string
}

const SPECIFIER =
  /(?:\bimport\s*(?:type\s+)?(?:[\w*{}\s,$]+\s+from\s*)?|\bexport\s+(?:type\s+)?(?:\*(?:\s+as\s+\w+)?|\{[^}]*\})\s*from\s*|\bimport\s*\(\s*)['"]([^'"]+)['"]/g

/** Specifiers in one file's text (comments are stripped first, so examples in them don't count). */
export function importSpecifiers(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1')
  return [...code.matchAll(SPECIFIER)].map((m) => m[1])
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return tsFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

export function importEdges(root: string): ImportEdge[] {
  return tsFiles(root).flatMap((file) => {
    const from = relative(root, file).split(sep).join('/')
    return importSpecifiers(readFileSync(file, 'utf8')).map((specifier) => ({
      from,
      specifier,
      target: specifier.startsWith('.')
        ? posix.normalize(posix.join(posix.dirname(from), specifier)).replace(/\.js$/, '.ts')
        : undefined,
    }))
  })
}

/** The folder a file belongs to: its top folder under the root, or the file itself at the root. */
export function folderOf(path: string): string {
  const [top, ...rest] = path.split('/')
  return rest.length === 0 ? top : `${top}/`
}

/** Folder → folders it imports, from the relative imports between different folders. */
export function folderGraph(edges: ImportEdge[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>()
  for (const edge of edges) {
    if (edge.target === undefined) continue
    const a = folderOf(edge.from)
    const b = folderOf(edge.target)
    if (!graph.has(b)) graph.set(b, new Set())
    if (a === b) continue
    graph.set(a, (graph.get(a) ?? new Set()).add(b))
  }
  return graph
}

/** Every cycle's folders, one strongly connected component (Tarjan) of two or more each. */
export function folderCycles(graph: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const cycles: string[][] = []
  const visit = (node: string) => {
    index.set(node, index.size)
    low.set(node, index.get(node) ?? 0)
    stack.push(node)
    onStack.add(node)
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next)
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0))
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0))
      }
    }
    if (low.get(node) !== index.get(node)) return
    const component: string[] = []
    let member: string | undefined
    do {
      member = stack.pop()
      if (member === undefined) break
      onStack.delete(member)
      component.push(member)
    } while (member !== node)
    if (component.length > 1) cycles.push(component.sort())
  }
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node)
  return cycles
}

/** The path of source files, for messages. */
export const SOURCE_ROOT = join(dirname(new URL(import.meta.url).pathname), '..', '..', 'src')
