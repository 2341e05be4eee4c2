import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { cruise, type IForbiddenRuleType } from 'dependency-cruiser'
import { afterAll, describe, expect, it } from 'vitest'

const require = createRequire(import.meta.url)
const rules = (require('../.dependency-cruiser.cjs') as { forbidden: IForbiddenRuleType[] }).forbidden

/** Cruises a small tree of files (path → source) with the project's rules; answers "rule: from → to" lines. */
async function violationsOf(files: Record<string, string>): Promise<string[]> {
  const root = mkdtempSync(join(tmpdir(), 'promo-rules-'))
  dirs.push(root)
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), source)
  }
  const cwd = process.cwd()
  process.chdir(root)
  try {
    const top = [...new Set(Object.keys(files).map((path) => path.split('/')[0]!))]
    const result = await cruise(top, {
      validate: true,
      ruleSet: { forbidden: rules },
      tsPreCompilationDeps: true,
    })
    const { summary } = result.output as {
      summary: { violations: { rule: { name: string }; from: string; to: string }[] }
    }
    return summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)
  } finally {
    process.chdir(cwd)
  }
}
const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

describe('the import rules (.dependency-cruiser.cjs), on deliberate violations', () => {
  it('keep the core pure: no adapter, service, route or runtime', async () => {
    expect(
      await violationsOf({
        'api/core/decide.ts': "import { MemoryKv } from '../adapters/kv/memory'\nexport const d = MemoryKv",
        'api/adapters/kv/memory.ts': 'export class MemoryKv {}',
      }),
    ).toContain('core-is-pure: api/core/decide.ts → api/adapters/kv/memory.ts')
  })

  it('keep each promotion type apart from the others', async () => {
    expect(
      await violationsOf({
        'promotions/sales/server/index.ts':
          "import { like } from '../../engagement/server/store'\nexport const s = like",
        'promotions/engagement/server/store.ts': 'export const like = 1',
      }),
    ).toContain('types-stay-apart: promotions/sales/server/index.ts → promotions/engagement/server/store.ts')
  })

  it('keep server code out of widgets and the SDK, and the browser out of server modules', async () => {
    const found = await violationsOf({
      'promotions/sales/widget/index.tsx':
        "import { db } from '../../../api/services/db'\nexport const w = db",
      'sdk/client.ts': "import { db } from '../api/services/db'\nexport const c = db",
      'promotions/sales/server/index.ts': "import { w } from '../widget/index'\nexport const s = w",
      'api/services/db.ts': 'export const db = 1',
    })
    expect(found).toEqual(
      expect.arrayContaining([
        'widgets-are-browser-code: promotions/sales/widget/index.tsx → api/services/db.ts',
        'sdk-stays-in-the-browser: sdk/client.ts → api/services/db.ts',
        'server-modules-no-browser: promotions/sales/server/index.ts → promotions/sales/widget/index.tsx',
      ]),
    )
  })

  it('let only the composition root read the registry, and forbid cycles', async () => {
    const found = await violationsOf({
      'api/http/routes/serve.ts':
        "import { serverTypes } from '../../promotions'\nexport const s = serverTypes",
      'api/promotions.ts': 'export const serverTypes = {}',
      'api/services/a.ts': "import { b } from './b'\nexport const a = () => b",
      'api/services/b.ts': "import { a } from './a'\nexport const b = () => a",
    })
    expect(found).toContain('registries-only-at-the-root: api/http/routes/serve.ts → api/promotions.ts')
    expect(found.some((line) => line.startsWith('no-cycles: api/services/a.ts'))).toBe(true)
  })

  it('find nothing in this tree', async () => {
    const result = await cruise(['api', 'sdk', 'admin', 'schema', 'promotions'], {
      validate: true,
      ruleSet: { forbidden: rules },
      tsPreCompilationDeps: true,
      exclude: { path: '(^dist/|node_modules)' },
      doNotFollow: { path: 'node_modules' },
    })
    const { summary } = result.output as { summary: { violations: unknown[] } }
    expect(summary.violations).toEqual([])
  }, 60_000)
})
