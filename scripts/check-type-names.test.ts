import { describe, expect, it } from 'vitest'
import { checkTree, violationsIn } from './check-type-names'

describe('the type-name check', () => {
  it('fails on a type named in generic code: a string, an object key, a template', () => {
    const source = [
      "const rails = choices.filter((c) => c.campaign.type === 'traffic')",
      'const defaults = { lead_generation: 1 }',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text holding a template literal
      'const label = `${name}-engagement`',
      'const plain = `engagement`',
    ].join('\n')
    expect(violationsIn('api/http/routes/serve.ts', source)).toEqual([
      { file: 'api/http/routes/serve.ts', line: 1, name: 'traffic' },
      { file: 'api/http/routes/serve.ts', line: 2, name: 'lead_generation' },
      { file: 'api/http/routes/serve.ts', line: 4, name: 'engagement' },
    ])
  })

  it('lets a type name itself in its own folder, and the registries name every type', () => {
    expect(violationsIn('promotions/traffic/server/rails.ts', "campaign.type === 'traffic'")).toEqual([])
    expect(violationsIn('promotions/sales/server/index.ts', "campaign.type === 'traffic'")).toHaveLength(1)
    expect(violationsIn('api/promotions.ts', 'export const serverTypes = { traffic, engagement }')).toEqual(
      [],
    )
  })

  it('reads comments and words for people as words, not code', () => {
    expect(violationsIn('admin/x.tsx', '// traffic rails\nconst x = <p>traffic shifts</p>')).toEqual([])
  })

  it('finds nothing in this tree', () => {
    expect(checkTree(process.cwd())).toEqual([])
  })
})
