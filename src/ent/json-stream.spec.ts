import { JsonStreamEvent, streamJson } from './json-stream'

async function events(text: string, chunkSize: number, options: { itemsKey?: string; maxValueBytes?: number } = {}): Promise<JsonStreamEvent[]> {
  const bytes = new TextEncoder().encode(text)
  async function* chunks(): AsyncIterable<Uint8Array> {
    for (let at = 0; at < bytes.length; at += chunkSize) yield bytes.subarray(at, at + chunkSize)
  }
  const out: JsonStreamEvent[] = []
  for await (const event of streamJson(chunks(), { maxValueBytes: 1024, ...options })) out.push(event)
  return out
}

describe('streamJson', () => {
  const index = '[ {"_id":"a","name":"x, [y] {z}","n":"\\"quoted\\" \\\\"}, 12, "s", null ,{"nested":[1,{"b":[]}]}]'

  it.each([1, 3, 7, 1000])('yields the items of a top-level array, whatever the chunk size (%i)', async size => {
    expect(await events(index, size)).toEqual([
      { kind: 'item', index: 0, value: { _id: 'a', name: 'x, [y] {z}', n: '"quoted" \\' } },
      { kind: 'item', index: 1, value: 12 },
      { kind: 'item', index: 2, value: 's' },
      { kind: 'item', index: 3, value: null },
      { kind: 'item', index: 4, value: { nested: [1, { b: [] }] } }
    ])
  })

  it.each([1, 5, 1000])('streams the rows of a SQL table file and gives its other members (chunk %i)', async size => {
    const table = '{"fields" : ["id","title"], "results" : [[1,"Un"],[2,"Deux \\u00e9"]], "extra": {"k": "v"}}'
    expect(await events(table, size, { itemsKey: 'results' })).toEqual([
      { kind: 'member', key: 'fields', value: ['id', 'title'] },
      { kind: 'item', index: 0, value: [1, 'Un'] },
      { kind: 'item', index: 1, value: [2, 'Deux é'] },
      { kind: 'member', key: 'extra', value: { k: 'v' } }
    ])
  })

  it('skips values above the cap, counting their bytes without keeping them', async () => {
    const big = `["small", "${'a'.repeat(5000)}", "after"]`
    expect(await events(big, 256, { maxValueBytes: 100 })).toEqual([
      { kind: 'item', index: 0, value: 'small' },
      { kind: 'too-large', index: 1, key: null, bytes: 5002 },
      { kind: 'item', index: 2, value: 'after' }
    ])
  })

  it('reports an item that is not valid JSON and goes on', async () => {
    expect(await events('[{"a":1}, tru, {"b":2}]', 4)).toEqual([
      { kind: 'item', index: 0, value: { a: 1 } },
      { kind: 'malformed', index: 1, key: null, message: expect.any(String) },
      { kind: 'item', index: 2, value: { b: 2 } }
    ])
  })

  it.each(['[{"a":1}', '{"a":1]', '"just a string"', ''])('refuses broken structure: %j', async text => {
    await expect(events(text, 3)).rejects.toMatchObject({ code: 'corrupt' })
  })
})
