/**
 * `npx tsx scripts/function-length.ts [max]`: lists the functions of src/, dev-stack/ and
 * move-wizard/ longer than `max` lines (80 by default), longest first, and exits 1 if any.
 *
 * A function's length is the span of its whole text, nested functions included: a 300-line
 * server factory made of small handlers is still one thing to read at once.
 */
import { readdirSync, readFileSync, statSync } from 'fs'
import path from 'path'
import ts from 'typescript'

export const MAX_FUNCTION_LINES = 80
export const CHECKED_FOLDERS = ['src', 'dev-stack', 'move-wizard']

export interface LongFunction {
  file: string
  name: string
  line: number
  lines: number
}

function nameOf(node: ts.Node): string {
  const named = node as ts.Node & { name?: ts.Node }
  if (named.name && ts.isIdentifier(named.name)) return named.name.text
  const parent = node.parent
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text
  if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text
  if (parent && ts.isCallExpression(parent)) return `(callback of ${parent.expression.getText().slice(0, 40)})`
  return '(anonymous)'
}

function isFunction(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  )
}

/** The functions of one source text longer than `max` lines. */
export function longFunctions(file: string, text: string, max = MAX_FUNCTION_LINES): LongFunction[] {
  const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind)
  const found: LongFunction[] = []
  const visit = (node: ts.Node): void => {
    if (isFunction(node) && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line
      const lines = end - start + 1
      if (lines > max) found.push({ file, name: nameOf(node), line: start + 1, lines })
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

function isCheckedFile(name: string): boolean {
  return /\.tsx?$/.test(name) && !/\.spec\.tsx?$/.test(name) && !name.endsWith('.d.ts')
}

function* sourceFiles(folder: string): Generator<string> {
  for (const entry of readdirSync(folder)) {
    const full = path.join(folder, entry)
    if (statSync(full).isDirectory()) yield* sourceFiles(full)
    else if (isCheckedFile(entry)) yield full
  }
}

export function longFunctionsIn(root: string, max = MAX_FUNCTION_LINES): LongFunction[] {
  const found: LongFunction[] = []
  for (const folder of CHECKED_FOLDERS) {
    for (const file of sourceFiles(path.join(root, folder))) {
      found.push(...longFunctions(path.relative(root, file), readFileSync(file, 'utf8'), max))
    }
  }
  return found.sort((a, b) => b.lines - a.lines)
}

if (require.main === module) {
  const max = Number(process.argv[2] ?? MAX_FUNCTION_LINES)
  const found = longFunctionsIn(path.resolve(__dirname, '..'), max)
  for (const f of found) process.stdout.write(`${String(f.lines).padStart(4)}  ${f.file}:${f.line}  ${f.name}\n`)
  process.stdout.write(found.length === 0 ? `No function over ${max} lines.\n` : `${found.length} functions over ${max} lines.\n`)
  process.exitCode = found.length === 0 ? 0 : 1
}
