import { logLine } from './stdout-protocol'

describe('konnector stdout protocol', () => {
  it('writes one JSON object per line', () => {
    const out: string[] = []
    logLine({ type: 'info', message: 'hello' }, t => out.push(t))
    expect(out).toEqual(['{"type":"info","message":"hello"}\n'])
  })

  it('cuts long messages itself so the line stays valid JSON under the stack limit', () => {
    const out: string[] = []
    logLine({ type: 'warning', message: 'x'.repeat(10000) }, t => out.push(t))
    const parsed = JSON.parse(out[0]) as { message: string }
    expect(parsed.message.length).toBe(4000)
    expect(parsed.message.endsWith('...')).toBe(true)
  })
})
