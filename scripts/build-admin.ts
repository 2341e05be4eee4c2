/**
 * Builds the admin app into dist/admin: a hashed, minified bundle, the chunks it loads on first use (the charts
 * and uPlot), a stylesheet, and an index.html that only references them by absolute /admin/ paths (no inline
 * script or style, for the admin's strict CSP).
 */
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const projectRoot = fileURLToPath(new URL('..', import.meta.url))
const outdir = join(projectRoot, 'dist', 'admin')
const publicPath = '/admin'

function page(script: string, stylesheet: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="same-origin">
<title>Promo</title>
<link rel="icon" href="${publicPath}/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${publicPath}/${stylesheet}">
<script type="module" src="${publicPath}/${script}"></script>
</head>
<body>
<div id="app"></div>
<noscript>The Promo admin needs JavaScript.</noscript>
</body>
</html>
`
}

async function main() {
  const started = performance.now()
  await rm(outdir, { recursive: true, force: true })
  await mkdir(outdir, { recursive: true })

  const result = await build({
    absWorkingDir: projectRoot,
    entryPoints: { app: 'admin/main.tsx', admin: 'admin/admin.css' },
    entryNames: '[name]-[hash]',
    // Dynamic imports (the charts and uPlot, a type's preview widget that needs zod's mini build) become
    // chunks fetched on first use, out of the first bundle.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    sourcemap: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  })

  const outputs = Object.keys(result.metafile.outputs).map((file) => basename(file))
  const script = outputs.find((file) => /^app-[\w-]+\.js$/.test(file))
  const stylesheet = outputs.find((file) => /^admin-[\w-]+\.css$/.test(file))
  if (!script || !stylesheet)
    throw new Error(`admin build produced no bundle or stylesheet: ${outputs.join(', ')}`)

  await copyFile(join(projectRoot, 'admin', 'favicon.svg'), join(outdir, 'favicon.svg'))
  await writeFile(join(outdir, 'index.html'), page(script, stylesheet))

  const sizes = Object.entries(result.metafile.outputs)
    .filter(([file]) => !file.endsWith('.map'))
    .map(([file, output]) => `${basename(file)} ${(output.bytes / 1024).toFixed(1)} kB`)
  console.log(`admin built in ${Math.round(performance.now() - started)} ms: ${sizes.join(', ')}, index.html`)
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
})
