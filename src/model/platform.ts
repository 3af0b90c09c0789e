/**
 * Platforms as image indexes spell them, and which one the runner would pull.
 * https://github.com/opencontainers/image-spec/blob/main/image-index.md#platform-variants
 */
import type { Platform } from './image.js'

/** Node's `process.arch` in GOARCH words, as image platforms spell architectures. */
const GOARCH: Record<string, Platform> = {
  x64: { os: 'linux', architecture: 'amd64' },
  arm64: { os: 'linux', architecture: 'arm64' },
  arm: { os: 'linux', architecture: 'arm', variant: 'v7' },
  ia32: { os: 'linux', architecture: '386' },
  ppc64: { os: 'linux', architecture: 'ppc64le' },
  s390x: { os: 'linux', architecture: 's390x' },
  riscv64: { os: 'linux', architecture: 'riscv64' },
}

/** The platform the runner pulls by default: linux and the runner's CPU architecture. */
export function runnerPlatform(arch: string = process.arch): Platform {
  return GOARCH[arch] ?? { os: 'linux', architecture: arch }
}

/** arm64's only variant is v8, so `linux/arm64/v8` and `linux/arm64` are the same platform. */
export function variantOf(p: Platform): string | undefined {
  return p.architecture === 'arm64' && p.variant === 'v8' ? undefined : p.variant
}

/** Whether an image for `offered` runs where `wanted` is asked for; no variant asked: any. */
export function platformMatches(offered: Platform, wanted: Platform): boolean {
  if (offered.os !== wanted.os || offered.architecture !== wanted.architecture) return false
  const variant = variantOf(wanted)
  return variant === undefined || variant === variantOf(offered)
}

/** `os/architecture[/variant]` as users and manifests write it, e.g. `linux/arm64/v8` */
export const PLATFORM_PATTERN = /^([a-z0-9]+)\/([a-z0-9_]+)(?:\/([a-z0-9]+))?$/
