import path from 'path'
import { CHECKED_FOLDERS, longFunctionsIn, MAX_FUNCTION_LINES } from '../scripts/function-length'

const ROOT = path.join(__dirname, '..')

// The repo's rule, "no function over 80 lines", read over the real tree (scripts/function-length.ts).
describe('function length', () => {
  it(`no function in ${CHECKED_FOLDERS.join(', ')} is over ${MAX_FUNCTION_LINES} lines`, () => {
    const offenders = longFunctionsIn(ROOT).map(f => `${f.file}:${f.line} ${f.name} (${f.lines} lines)`)
    expect(offenders).toEqual([])
  })
})
