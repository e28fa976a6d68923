import type { logLine as LogLineFn } from './stdout-protocol'

/**
 * cozy-logger picks its format from NODE_ENV when it loads: the jailed konnector has none (JSON
 * lines), Jest sets "test" (coloured text). Load it as the konnector does.
 */
function loadProtocol(): typeof LogLineFn {
  const previous = process.env.NODE_ENV
  delete process.env.NODE_ENV
  let loaded: typeof LogLineFn | undefined
  try {
    jest.isolateModules(() => {
      loaded = (jest.requireActual('./stdout-protocol') as { logLine: typeof LogLineFn }).logLine
    })
  } finally {
    process.env.NODE_ENV = previous
  }
  if (!loaded) throw new Error('stdout-protocol did not load')
  return loaded
}

const logLine = loadProtocol()

function captured(run: () => void): string[] {
  const lines: string[] = []
  const spy = jest.spyOn(console, 'log').mockImplementation((text: unknown) => {
    lines.push(String(text))
  })
  try {
    run()
  } finally {
    spy.mockRestore()
  }
  return lines
}

describe('konnector stdout protocol (cozy-logger)', () => {
  it('writes one JSON object per line, with its type, message, namespace and time', () => {
    const [line] = captured(() => logLine({ type: 'info', message: 'hello' }))
    const parsed = JSON.parse(line) as Record<string, unknown>
    expect(parsed).toMatchObject({ type: 'info', message: 'hello', namespace: 'ent-import' })
    expect(Number.isNaN(Date.parse(String(parsed.time)))).toBe(false)
  })

  it('carries no_retry on a critical error', () => {
    const [line] = captured(() => logLine({ type: 'critical', message: 'UNKNOWN_ERROR.NO_ARCHIVE', no_retry: true }))
    expect(JSON.parse(line)).toMatchObject({ type: 'critical', message: 'UNKNOWN_ERROR.NO_ARCHIVE', no_retry: true })
  })

  it('cuts long messages itself so the line stays valid JSON under the stack limit', () => {
    const [line] = captured(() => logLine({ type: 'warning', message: 'x'.repeat(10000) }))
    const parsed = JSON.parse(line) as { message: string; type: string }
    expect(parsed.type).toBe('warn')
    expect(parsed.message.length).toBe(4000)
    expect(parsed.message.endsWith('...')).toBe(true)
  })
})
