/** Replaced with package.json's version when bundling (scripts/bundle.mjs). */
export const VERSION: string = process.env.IMAGE_SIZE_GATE_VERSION ?? '0.0.0-dev'
