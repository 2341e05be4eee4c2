import { rmSync } from 'node:fs'
import nodeResolve from '@rollup/plugin-node-resolve'
import replace from '@rollup/plugin-replace'
import type { Plugin, RollupOptions } from 'rollup'
import esbuild from 'rollup-plugin-esbuild'
import { formatEntries } from './sdk/formats/registry'

/** Browsers with dynamic import, optional chaining and `??`; constructable stylesheets ask for newer still. */
const target = 'es2020'
const outDir = 'dist/sdk'

/** Format chunk path by campaign type, relative to promo.js; filled by the first build, read by the second. */
const manifest: Record<string, string> = {}

const compile = () => [
  nodeResolve({ browser: true, extensions: ['.ts', '.tsx', '.js', '.mjs'] }),
  esbuild({
    target,
    minify: true,
    sourceMap: false,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
  }),
]

/** Starts from an empty dist/sdk, so chunks of earlier builds never linger, and records the new chunk names. */
function formatManifest(): Plugin {
  return {
    name: 'promo-format-manifest',
    buildStart() {
      rmSync(outDir, { recursive: true, force: true })
    },
    generateBundle(_, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type === 'chunk' && chunk.isEntry) manifest[chunk.name] = chunk.fileName
      }
      this.emitFile({
        type: 'asset',
        fileName: 'manifest.json',
        source: `${JSON.stringify(manifest, null, 2)}\n`,
      })
    },
  }
}

const formats: RollupOptions = {
  input: formatEntries as Record<string, string>,
  plugins: [...compile(), formatManifest()],
  output: {
    dir: outDir,
    format: 'es',
    entryFileNames: 'chunks/[name]-[hash].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    manualChunks: (id) => (id.includes('/node_modules/preact/') ? 'preact' : undefined),
  },
  preserveEntrySignatures: 'exports-only',
}

const loader: RollupOptions = {
  input: 'sdk/loader.ts',
  plugins: [
    replace({ preventAssignment: true, values: { __PROMO_MANIFEST__: () => JSON.stringify(manifest) } }),
    ...compile(),
  ],
  output: { file: `${outDir}/promo.js`, format: 'iife' },
}

export default [formats, loader]
