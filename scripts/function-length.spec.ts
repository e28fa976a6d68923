import { longFunctions } from './function-length'

const body = (lines: number) => Array.from({ length: lines }, (_, i) => `  const v${i} = ${i}`).join('\n')

describe('longFunctions', () => {
  it('measures declarations, arrows and methods, nested ones included in their parent', () => {
    const text = [
      `export function outer() {\n${body(50)}\n  const inner = () => {\n${body(40)}\n  }\n}`,
      `const short = () => 1`,
      `class A {\n  method() {\n${body(85)}\n  }\n}`
    ].join('\n')
    const found = longFunctions('a.ts', text)
    expect(found.map((f) => [f.name, f.lines])).toEqual([
      ['outer', 94],
      ['method', 87]
    ])
    expect(found[0].line).toBe(1)
  })

  it('reads TSX components', () => {
    const text = `export function Page(): JSX.Element {\n${body(81)}\n  return <div>{v0}</div>\n}`
    expect(longFunctions('Page.tsx', text).map((f) => f.name)).toEqual(['Page'])
    expect(longFunctions('Page.tsx', text, 100)).toEqual([])
  })
})
