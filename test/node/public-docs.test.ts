// Every public function, class and option property of the three entries has JSDoc: users read the
// types, and every option states its default there. Runs in Node with the TypeScript compiler API.
import ts from 'typescript'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const ENTRIES = ['src/index.ts', 'src/hono/index.ts', 'src/d1/index.ts'].map((entry) => `${root}${entry}`)

function undocumented(): string[] {
  const program = ts.createProgram(ENTRIES, {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: ['@cloudflare/workers-types'],
  })
  const checker = program.getTypeChecker()
  const ours = (node: ts.Node | undefined) => node !== undefined && node.getSourceFile().fileName.startsWith(`${root}src/`)
  const doc = (symbol: ts.Symbol) => ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim()
  const missing = new Set<string>()
  const members = (symbol: ts.Symbol, path: string) => {
    for (const member of checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol))) {
      const declaration = member.declarations?.[0]
      if (!ours(declaration)) continue
      if (!doc(member)) missing.add(`${path}.${member.name}`)
      const type = declaration && (declaration as ts.PropertySignature).type
      if (type && ts.isTypeLiteralNode(type)) {
        for (const inner of type.members) {
          const innerSymbol = inner.name && checker.getSymbolAtLocation(inner.name)
          if (innerSymbol && !doc(innerSymbol)) missing.add(`${path}.${member.name}.${innerSymbol.name}`)
        }
      }
    }
  }
  for (const entry of ENTRIES) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(entry) as ts.SourceFile) as ts.Symbol
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported
      const declaration = symbol.declarations?.[0]
      if (!ours(declaration) || !declaration) continue
      const callable =
        ts.isFunctionDeclaration(declaration) || ts.isVariableDeclaration(declaration) || ts.isClassDeclaration(declaration)
      if (callable && !doc(symbol)) missing.add(`${exported.name} (${entry.slice(root.length)})`)
      if (ts.isInterfaceDeclaration(declaration)) members(symbol, exported.name)
    }
  }
  return [...missing]
}

it('every public function, class and option property has JSDoc', () => {
  expect(undocumented()).toEqual([])
}, 60_000)
