import type { FormatModule } from './kit/context'

/** Type → chunk path (relative to the script), written by the build once chunk names carry their hashes. */
export type FormatManifest = Record<string, string>

/** Where a type's chunk is, relative to the script; undefined for a type that has none. */
export type ChunkPath = (type: string) => string | undefined

/** Reads chunk paths from a manifest (the ESM entry fetches it from the API). */
export const fromManifest =
  (manifest: FormatManifest): ChunkPath =>
  (type) =>
    Object.hasOwn(manifest, type) ? manifest[type] : undefined

/**
 * The loader's chunk paths: every lazy entry is built as `chunks/<name>-<build>.js`, one build id for all, so
 * the loader carries that id alone and grows by nothing when a type is added. Names come from decisions: only
 * lowercase words are looked up.
 */
export const fromBuild =
  (build: string): ChunkPath =>
  (type) =>
    /^[a-z_]{1,40}$/.test(type) ? `chunks/${type}-${build}.js` : undefined

/** Imports a type's format chunk the first time a decision needs it; a failed import may be tried again. */
export function chunkLoader(pathOf: ChunkPath, base: string) {
  const loading = new Map<string, Promise<FormatModule>>()
  return (type: string): Promise<FormatModule | undefined> => {
    const path = pathOf(type)
    if (!path) return Promise.resolve(undefined)
    let chunk = loading.get(type)
    if (!chunk) {
      chunk = import(/* @vite-ignore */ new URL(path, base).href) as Promise<FormatModule>
      chunk.catch(() => loading.delete(type))
      loading.set(type, chunk)
    }
    return chunk
  }
}
