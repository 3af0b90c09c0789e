/**
 * The report files the `reports` input names: files as given, and every `report-*.json` below a
 * directory (what actions/download-artifact writes: one folder per artifact). Each image is
 * keyed by its file name (`report-<key>.json`, json-report.ts), with its folder when two share one.
 */
import { readdir, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { UserError } from '../util/errors.js'

/** Most report files read in one run */
export const MAX_REPORT_FILES = 100
/** Deepest folder searched below a `reports` directory */
const MAX_DEPTH = 4

export interface ReportFile {
  path: string
  /** The image's key: the comment key its leg wrote the report under */
  key: string
}

export async function findReportFiles(items: string[]): Promise<ReportFile[]> {
  const paths: string[] = []
  for (const item of items) {
    let info
    try {
      info = await stat(item)
    } catch {
      throw new UserError(`reports: ${item} does not exist`)
    }
    if (info.isDirectory()) {
      const found = await walk(item, 0)
      if (found.length === 0) throw new UserError(`reports: no report-*.json file in ${item}`)
      paths.push(...found.sort())
    } else paths.push(item)
    if (paths.length > MAX_REPORT_FILES)
      throw new UserError(`reports: more than ${MAX_REPORT_FILES} report files`)
  }
  return keyed([...new Set(paths)])
}

async function walk(dir: string, depth: number): Promise<string[]> {
  if (depth > MAX_DEPTH) return []
  const out: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...(await walk(path, depth + 1)))
    else if (entry.isFile() && /^report-.+\.json$/.test(entry.name)) out.push(path)
    if (out.length > MAX_REPORT_FILES) break
  }
  return out
}

const keyOf = (path: string) =>
  basename(path)
    .replace(/^report-/, '')
    .replace(/\.json$/, '')

function keyed(paths: string[]): ReportFile[] {
  const counts = new Map<string, number>()
  for (const path of paths) counts.set(keyOf(path), (counts.get(keyOf(path)) ?? 0) + 1)
  return paths.map((path) => {
    const key = keyOf(path)
    return { path, key: (counts.get(key) ?? 0) > 1 ? `${basename(dirname(path))}/${key}` : key }
  })
}
