import type { FormatModule } from './kit/context'

/** Type → chunk path (relative to the script), written by the build once chunk names carry their hashes. */
export type FormatManifest = Record<string, string>

/** Imports a type's format chunk the first time a decision needs it; a failed import may be tried again. */
export function chunkLoader(manifest: FormatManifest, base: string) {
  const loading = new Map<string, Promise<FormatModule>>()
  return (type: string): Promise<FormatModule | undefined> => {
    const path = manifest[type]
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
