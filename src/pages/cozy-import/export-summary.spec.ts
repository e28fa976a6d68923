import { manifestUrlOf, readExportSummary } from './export-summary'

const MAC = 'AAAAAGZ3dGVzdC1leHBvcnQtbWFjLXZhbHVl'

describe('the export behind a mailed link', () => {
  it('finds the source the way the stack does: flat and nested Settings addresses', () => {
    expect(manifestUrlOf(`https://bob-settings.mycozy.cloud/#/exports/${MAC}`)?.href).toBe(`https://bob.mycozy.cloud/move/exports/${MAC}`)
    expect(manifestUrlOf(`https://settings.bob.example.org/#/exports/${MAC}`)?.href).toBe(`https://bob.example.org/move/exports/${MAC}`)
    expect(manifestUrlOf(`http://127.0.0.1:8080/#/exports/${MAC}`)?.href).toBe(`http://127.0.0.1:8080/move/exports/${MAC}`)
  })

  it('finds nothing in what is not a Settings export link', () => {
    expect(manifestUrlOf(MAC)).toBeNull()
    expect(manifestUrlOf(`https://bob.example.org/exports/${MAC}`)).toBeNull()
    expect(manifestUrlOf(`ftp://bob.example.org/#/exports/${MAC}`)).toBeNull()
    expect(manifestUrlOf('https://bob.example.org/#/exports/short')).toBeNull()
  })

  it('reads the date, the parts and their size from the export document', async () => {
    const summary = await readExportSummary(`https://bob-settings.mycozy.cloud/#/exports/${MAC}`, async () => ({
      data: { id: 'x', attributes: { state: 'done', parts_size: 1073741824, parts_cursors: ['io.cozy.files/a'], created_at: '2026-12-01T09:30:00Z' } }
    }))
    expect(summary).toEqual({ source: 'bob.mycozy.cloud', details: { createdAt: '2026-12-01T09:30:00Z', expiresAt: undefined, parts: 2, partsSize: 1073741824 } })
  })

  it('keeps the source alone when the export cannot be read', async () => {
    const blocked = await readExportSummary(`https://bob-settings.mycozy.cloud/#/exports/${MAC}`, () => Promise.reject(new TypeError('Failed to fetch')))
    expect(blocked).toEqual({ source: 'bob.mycozy.cloud' })
    const odd = await readExportSummary(`https://bob-settings.mycozy.cloud/#/exports/${MAC}`, async () => 'not json:api')
    expect(odd).toEqual({ source: 'bob.mycozy.cloud' })
  })
})
