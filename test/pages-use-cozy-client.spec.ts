import { join } from 'path'
import { rawHttpOffenders, rawHttpUses } from '../scripts/raw-http-in-pages'

const ROOT = join(__dirname, '..')
const PAGES = join(ROOT, 'src', 'pages')
const OWN = ['export', 'move', 'cozy-import', 'delete-account', 'home']

describe('rawHttpUses', () => {
  it('finds fetch calls, fetchJSON, getStackClient and raw helper imports', () => {
    expect(rawHttpUses("const res = await fetch(url, { credentials: 'omit' })")).toEqual(['fetch('])
    expect(rawHttpUses("client.getStackClient().fetchJSON('GET', '/apps/')")).toEqual(['fetchJSON', 'getStackClient'])
    expect(rawHttpUses("import { singleResource } from '../../stack-client/jsonapi'")).toEqual(['raw stack-client helper import'])
    expect(rawHttpUses("import { stackFetcherOf } from '../../stack-client/fetcher'")).toEqual(['raw stack-client helper import'])
  })

  it('leaves alone queries, the typed stack client, other names and comments', () => {
    expect(rawHttpUses("const apps = useQuery(Q('io.cozy.apps'), { as: 'io.cozy.apps' })")).toEqual([])
    expect(rawHttpUses("await api.exports.get(mac); result.fetch(); refetch(); prefetch()")).toEqual([])
    expect(rawHttpUses("import { toStackError } from '../../stack-client'")).toEqual([])
    expect(rawHttpUses('// no fetch( here, nor fetchJSON\n/* getStackClient */')).toEqual([])
  })
})

describe('pages read doctypes with cozy-client', () => {
  it.each(OWN)('src/pages/%s uses no raw HTTP', dir => {
    expect(rawHttpOffenders(join(PAGES, dir), ROOT)).toEqual([])
  })

  it('no page under src/pages uses raw HTTP (lists every offender)', () => {
    expect(rawHttpOffenders(PAGES, ROOT)).toEqual([])
  })
})
