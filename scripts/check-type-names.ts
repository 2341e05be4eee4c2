/**
 * A promotion type is one folder: outside `promotions/<type>/` and the registries, product code names no type.
 * This parses every source file of the product (tests and test helpers aside: they may set up any type) with
 * TypeScript and fails on a string literal, template text or identifier that is exactly a type's name, such as
 * `'traffic'` or `lead_generation:`. Comments and JSX text are words for people and may name types. Run by CI (`npm run check:types`);
 * `scripts/check-type-names.test.ts` shows it failing on a deliberate violation.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'
import { campaignTypes } from '../schema/campaign'

/** The registries: the one place on each side where every type is named, one line each. */
export const registries = new Set([
  'schema/campaign.ts',
  'schema/types/index.ts',
  'api/promotions.ts',
  'sdk/formats/registry.ts',
  'admin/promotions.ts',
])

const productRoots = ['api', 'sdk', 'admin', 'schema', 'promotions']
const isTest = (path: string) =>
  /\.test\.tsx?$/.test(path) || /(^|\/)testing\//.test(path) || /(^|\/)test-[^/]*$/.test(path)

export interface Violation {
  file: string
  line: number
  name: string
}

/** The type names a file's code holds that the file may not name. */
export function violationsIn(
  file: string,
  source: string,
  names: readonly string[] = campaignTypes,
): Violation[] {
  if (registries.has(file)) return []
  const own = /^promotions\/([^/]+)\//.exec(file)?.[1]
  const banned = new Set(names.filter((name) => name !== own))
  const file_ = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TSX)
  const found: Violation[] = []
  const visit = (node: ts.Node) => {
    const named =
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node) ||
      ts.isIdentifier(node)
        ? (node as ts.LiteralLikeNode | ts.Identifier).text
        : undefined
    if (named !== undefined && banned.has(named)) {
      const { line } = file_.getLineAndCharacterOfPosition(node.getStart(file_))
      found.push({ file, line: line + 1, name: named })
    }
    ts.forEachChild(node, visit)
  }
  visit(file_)
  return found
}

function sourceFiles(root: string, dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(join(root, dir))) {
    const path = join(dir, name)
    if (statSync(join(root, path)).isDirectory()) sourceFiles(root, path, out)
    else if (/\.tsx?$/.test(name) && !isTest(path)) out.push(path)
  }
  return out
}

export function checkTree(root: string): Violation[] {
  return productRoots.flatMap((dir) =>
    sourceFiles(root, dir).flatMap((file) =>
      violationsIn(relative(root, join(root, file)), readFileSync(join(root, file), 'utf8')),
    ),
  )
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  const violations = checkTree(process.cwd())
  for (const v of violations) {
    console.error(`${v.file}:${v.line}: names the type "${v.name}" outside its folder and the registries`)
  }
  if (violations.length > 0) {
    console.error(
      `check:types: FAIL ${violations.length} (a type's code goes in promotions/<type>/, plugged in by one line per registry)`,
    )
    process.exit(1)
  }
  console.log('check:types: PASS no type named outside its folder and the registries')
}
