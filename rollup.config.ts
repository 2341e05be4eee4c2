import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import nodeResolve from '@rollup/plugin-node-resolve'
import replace from '@rollup/plugin-replace'
import { transform } from 'esbuild'
import type { Plugin, RollupOptions } from 'rollup'
import esbuild from 'rollup-plugin-esbuild'
import { formatEntries } from './sdk/formats/registry'

/** Browsers with dynamic import, optional chaining and `??`; constructable stylesheets ask for newer still. */
const target = 'es2020'
const outDir = 'dist/sdk'

/** Format chunk path by campaign type, relative to promo.js; filled by the first build, for the ESM entry and the size gate. */
const manifest: Record<string, string> = {}

/**
 * One id for every lazy entry chunk of this build (`chunks/<name>-<build>.js`): a hash of everything the browser
 * code is built from, so it changes whenever any chunk could. The loader carries this id instead of a list of
 * chunk names, so adding a promotion type adds nothing to it.
 */
function sourceHash(): string {
  const hash = createHash('sha256')
  const walk = (path: string) => {
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) if (name !== 'node_modules') walk(join(path, name))
    } else if (/\.(tsx?|json)$/.test(path) && !/\.test\.tsx?$/.test(path)) {
      hash.update(path).update(readFileSync(path))
    }
  }
  for (const root of ['sdk', 'promotions', 'schema', 'package-lock.json', 'rollup.config.ts']) walk(root)
  return hash.digest('hex').slice(0, 10)
}
const build = sourceHash()

/**
 * JSX becomes Preact's own `h(type, props, ...children)` calls (the classic transform) rather than the automatic
 * runtime's `jsx()`: `h` is in Preact's core, which every format loads anyway, so the shared chunk carries no
 * second vnode factory (about 0.25 KB gzipped). The sources keep the automatic runtime's typing (tsconfig);
 * this plugin gives each .tsx file the import the classic transform needs.
 */
function classicJsx(): Plugin {
  return {
    name: 'promo-classic-jsx',
    transform(code, id) {
      if (!id.endsWith('.tsx')) return null
      return { code: `import { h as __h, Fragment as __Fragment } from 'preact'\n${code}`, map: null }
    },
  }
}

const compile = () => [
  nodeResolve({ browser: true, extensions: ['.ts', '.tsx', '.js', '.mjs'] }),
  classicJsx(),
  esbuild({
    target,
    minify: true,
    sourceMap: false,
    jsx: 'transform',
    jsxFactory: '__h',
    jsxFragment: '__Fragment',
    // The tsconfig's automatic JSX would win over the options here.
    tsconfig: false,
    legalComments: 'none',
  }),
]

/** The chunk graph of the last build (scripts/size-gate.ts reads it). */
const graphFile = 'dist/sdk-graph.json'

/** Starts from an empty dist/sdk, so chunks of earlier builds never linger, and records the new chunk names. */
function formatManifest(): Plugin {
  return {
    name: 'promo-format-manifest',
    buildStart() {
      rmSync(outDir, { recursive: true, force: true })
    },
    generateBundle(_, bundle) {
      const graph: Record<string, { imports: string[]; dynamicImports: string[] }> = {}
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue
        if (chunk.isEntry) manifest[chunk.name] = chunk.fileName
        graph[chunk.fileName] = { imports: chunk.imports, dynamicImports: chunk.dynamicImports }
      }
      this.emitFile({
        type: 'asset',
        fileName: 'manifest.json',
        source: `${JSON.stringify(manifest, null, 2)}\n`,
      })
      // What each chunk imports at once and what it may import later, for the size gate's page budgets. Beside
      // dist/sdk rather than in it: nothing the server sends.
      // On a fresh clone dist/ does not exist yet: rollup writes the bundle after this hook.
      mkdirSync(dirname(graphFile), { recursive: true })
      writeFileSync(graphFile, `${JSON.stringify(graph, null, 2)}\n`)
    },
  }
}

/**
 * The SDK's own imports of the constant modules `pattern` matches (the limits, the landing parameters) get a copy of
 * their own rather than the module the format chunks import: otherwise the page runtime and a lead form's checks
 * would share them through a chunk of a few hundred bytes, a request more on every page, sent uncompressed (under
 * the server's threshold). A copy of a few constants in two chunks costs less.
 */
function ownCopy(pattern: RegExp, importers: RegExp): Plugin {
  const suffix = '?sdk-copy'
  return {
    name: 'promo-own-copy',
    async resolveId(source, importer) {
      if (!importer || !importers.test(importer) || importer.endsWith(suffix)) return null
      const resolved = await this.resolve(source, importer, { skipSelf: true })
      return resolved && pattern.test(resolved.id) ? `${resolved.id}${suffix}` : null
    },
    async load(id) {
      if (!id.endsWith(suffix)) return null
      const file = id.slice(0, -suffix.length)
      this.addWatchFile(file)
      return (await transform(readFileSync(file, 'utf8'), { loader: 'ts', target, format: 'esm' })).code
    },
  }
}

/**
 * Renames, in a built chunk (`only` names it, else any), the properties `props` matches: esbuild's `mangleProps`
 * run on the whole chunk, so a name is renamed the same wherever the chunk uses it. Only for properties no other
 * chunk, page or API reads: a name here must never be a browser API's either.
 */
function mangleOwnProps(props: RegExp, only?: string): Plugin {
  return {
    name: 'promo-mangle-own-props',
    async renderChunk(code, chunk, { format }) {
      if (only && chunk.name !== only) return null
      const result = await transform(code, {
        format: format === 'es' ? 'esm' : undefined,
        target,
        minify: true,
        legalComments: 'none',
        mangleProps: props,
      })
      return { code: result.code, map: null }
    },
  }
}

/**
 * Properties the units chunk keeps to itself: the hooks it makes for its units and each unit's own record, and the
 * click notes it keeps in storage (read back by the same chunk only, on the next page).
 */
const unitsOwnProps = /^(untrack|left|timed|rendered|viewable|told|closed|notes|stored|decision)$/

/**
 * Preact's internal fields (`__k` children, `__e` DOM node, `__H` hook state…), named three characters long so that
 * Preact's separately built packages (hooks, compat, devtools) agree on them. Here Preact and its hooks share one
 * chunk and no other code reads them, so they can be one character.
 */
const preactInternals = /^__[A-Za-z]$/

/**
 * Properties only the loader's own code reads and writes (its event queue, queue store and ids), which the bundled
 * loader may rename: no other chunk, page or API ever sees them. A name here must not be a method of
 * `window.Promo`, a field of an event, or a property the unit runtime reads.
 */
const loaderOwnProps =
  /^(enqueue|drain|restore|forget|ids|take|save|events|tracked|dropped|retryAfter|store|beacon|post|loadFormat)$/

const formats: RollupOptions = {
  // The trigger chunk and the product page reader ride along: lazy like a format, and listed in the same manifest.
  input: {
    ...formatEntries,
    triggers: 'sdk/triggers/index.ts',
    units: 'sdk/units.ts',
    product: 'sdk/page/product.ts',
  } as Record<string, string>,
  plugins: [
    ownCopy(/\/schema\/(landing|limits)\.ts$/, /\/sdk\//),
    ...compile(),
    mangleOwnProps(unitsOwnProps, 'units'),
    mangleOwnProps(preactInternals, 'preact'),
    formatManifest(),
  ],
  output: {
    dir: outDir,
    format: 'es',
    entryFileNames: `chunks/[name]-${build}.js`,
    chunkFileNames: 'chunks/[name]-[hash].js',
    // Preact and the rendering kit form one shared chunk, so each format chunk holds only its own widget.
    manualChunks: (id) => (/\/node_modules\/preact\/|\/sdk\/kit\//.test(id) ? 'preact' : undefined),
  },
  // An entry may export more than its own (the units chunk, what its visit chunk takes from it).
  preserveEntrySignatures: 'allow-extension',
}

const loader: RollupOptions = {
  input: 'sdk/loader.ts',
  plugins: [
    replace({ preventAssignment: true, values: { __PROMO_BUILD__: JSON.stringify(build) } }),
    ...compile(),
    mangleOwnProps(loaderOwnProps),
  ],
  output: { file: `${outDir}/promo.js`, format: 'iife' },
}

/**
 * Tells the app's bundler (webpack, Vite) to leave the format chunk import alone: its URL comes from the API at
 * run time. Added after minifying, which drops comments.
 */
function bundlersIgnoreChunkImport(): Plugin {
  return {
    name: 'promo-bundlers-ignore-chunk-import',
    renderChunk(code) {
      const imports = code.split('import(').length - 1
      if (imports !== 1)
        this.error(`the ESM entry should import format chunks in one place, found ${imports}`)
      return {
        code: code.replace('import(', 'import(/* webpackIgnore: true */ /* @vite-ignore */ '),
        map: null,
      }
    },
  }
}

/** The ESM entry for apps that bundle the SDK; it reads the manifest from the API, so none is built in. */
const esm: RollupOptions = {
  input: 'sdk/index.ts',
  plugins: [...compile(), bundlersIgnoreChunkImport()],
  // The unit runtime (`import('./units')` in sdk/index.ts) is inlined: the app's own bundler splits it if it likes.
  output: { file: `${outDir}/esm/index.js`, format: 'es', inlineDynamicImports: true },
}

export default [formats, loader, esm]
