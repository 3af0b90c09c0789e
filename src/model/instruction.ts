/**
 * Build-step text as the history records it, normalised so the same Dockerfile line matches
 * across builders and rebuilds:
 *   classic builder  `/bin/sh -c #(nop) COPY file:3b6a…4c in /app/ `, `|2 A=1 B=2 /bin/sh -c make`
 *   BuildKit         `RUN /bin/sh -c make # buildkit`, `COPY . /app # buildkit`, `WORKDIR /app`
 */

const SHELL_PREFIX = /^\/bin\/(?:ba)?sh -c /
const NOP = /^#\(nop\)\s+/
const BUILD_ARGS = /^\|\d+(?: \S+=\S*)* /
const BUILDKIT_SUFFIX = /\s+# buildkit$/
const CONTENT_HASH = /\b(file|dir|multi):[0-9a-f]{64}\b/g
const KEYWORD = /^[A-Z]+\b/

/** One line, trimmed of builder decoration; the keyword (RUN, COPY, …) made explicit. */
export function normaliseInstruction(createdBy: string): string {
  let text = createdBy.replace(/\s+/g, ' ').trim()
  text = text.replace(BUILDKIT_SUFFIX, '')
  if (text.startsWith('RUN ')) text = text.slice(4)
  text = text.replace(BUILD_ARGS, '')
  if (SHELL_PREFIX.test(text)) {
    text = text.replace(SHELL_PREFIX, '')
    if (NOP.test(text)) return text.replace(NOP, '').replace(CONTENT_HASH, '$1').trim()
    return `RUN ${text}`
  }
  if (KEYWORD.test(text) && !text.startsWith('RUN ')) return text.replace(CONTENT_HASH, '$1')
  return `RUN ${text}`
}

/** Instructions that only change the config: they never create a layer. */
export const METADATA_ONLY: ReadonlySet<string> = new Set([
  'ARG',
  'CMD',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
])

export function isMetadataOnly(createdBy: string): boolean {
  const keyword = normaliseInstruction(createdBy).split(' ', 1)[0]
  return METADATA_ONLY.has(keyword)
}
