import { normaliseShares, roleOfAction, sharesBeyondParent } from './shares'

const ME = '3c6e1e62-9ea9-4e4f-972f-58c41b83cb76'

describe('share normalisation', () => {
  it('turns the 2023 blog fixture share into one comment-level user grant', () => {
    const shared = [
      {
        userId: '2634ab58-aaaa',
        'org-entcore-blog-controllers-BlogController|get': true,
        'org-entcore-blog-controllers-PostController|list': true,
        'org-entcore-blog-controllers-PostController|get': true,
        'org-entcore-blog-controllers-PostController|comments': true,
        'org-entcore-blog-controllers-PostController|comment': true,
        'org-entcore-blog-controllers-PostController|updateComment': true,
        'org-entcore-blog-controllers-PostController|deleteComment': true
      }
    ]
    expect(normaliseShares('blog', 'b1', shared, undefined, ME)).toEqual([
      { app: 'blog', resourceId: 'b1', kind: 'user', entId: '2634ab58-aaaa', role: 'comment', actions: Object.keys(shared[0]).filter(k => k !== 'userId').sort(), inherited: false }
    ])
  })

  it('gives mindmap group shares read, contrib and manager roles, with legacy group ids', () => {
    const action = (m: string): string => `net-atos-entng-mindmap-controllers-MindmapController|${m}`
    const grants = normaliseShares('mindmap', 'm1', [
      { groupId: '474-1429810567870', [action('retrieve')]: true },
      { groupId: '475-1429810567870', [action('retrieve')]: true, [action('update')]: true },
      { groupId: '476-1429810567870', [action('retrieve')]: true, [action('update')]: true, [action('delete')]: true, [action('share')]: true }
    ], undefined, ME)
    expect(grants.map(g => [g.kind, g.entId, g.role])).toEqual([
      ['group', '474-1429810567870', 'read'],
      ['group', '475-1429810567870', 'contrib'],
      ['group', '476-1429810567870', 'manager']
    ])
  })

  it('merges explicit and inherited workspace shares and leaves out the exporting user', () => {
    const read = { 'org-entcore-workspace-controllers-WorkspaceController|getDocument': true }
    const grants = normaliseShares(
      'workspace',
      'd1',
      [{ userId: 'u1', ...read }],
      [{ userId: 'u1', ...read, 'org-entcore-workspace-controllers-WorkspaceController|updateDocument': true }, { userId: ME, ...read }, { groupId: 'g1', 'org-entcore-workspace-service-WorkspaceService|moveTrash': true }],
      ME
    )
    expect(grants.map(g => [g.kind, g.entId, g.role, g.inherited])).toEqual([
      ['user', 'u1', 'contrib', false],
      ['group', 'g1', 'manager', true]
    ])
  })

  it('maps unknown actions by the naming rule and keeps them raw', () => {
    expect(roleOfAction('forum', 'net-atos-entng-forum-controllers-ForumController|updateSubject')).toBe('publish')
    expect(roleOfAction('newapp', 'fr-example-controllers-ThingController|shareThing')).toBe('manager')
    expect(roleOfAction('newapp', 'fr-example-controllers-ThingController|removeShareThing')).toBe('manager')
    expect(roleOfAction('newapp', 'fr-example-controllers-ThingController|deleteThing')).toBe('manager')
    expect(roleOfAction('newapp', 'fr-example-controllers-ThingController|createItem')).toBe('contrib')
    expect(roleOfAction('newapp', 'fr-example-controllers-ThingController|commentThing')).toBe('comment')
    expect(roleOfAction('newapp', 'fr-example-controllers-ThingController|view')).toBe('read')
    // A known table wins over the rule: the pad's deleteSession is a read action.
    expect(roleOfAction('collaborativeeditor', 'net-atos-entng-collaborativeeditor-controllers-CollaborativeEditorController|deleteSession')).toBe('read')
    const [grant] = normaliseShares('newapp', 'r', [{ userId: 'u', 'x-Y|frobnicate': true, 'not-an-action': false }], undefined, ME)
    expect([grant.role, grant.actions]).toEqual(['read', ['x-Y|frobnicate']])
  })

  it('ignores entries without a user or group id and non-array values', () => {
    expect(normaliseShares('blog', 'b', [{ bookmarkId: 'x', 'a|b': true }, null, 'junk'], 'nope', ME)).toEqual([])
  })
})

describe('workspace shares a child holds itself (InheritShareComputer: own shared + parent inheritedShares)', () => {
  const read = { 'org-entcore-workspace-controllers-WorkspaceController|getDocument': true }
  const write = { ...read, 'org-entcore-workspace-controllers-WorkspaceController|updateDocument': true }

  it('leaves out the entries the parent folder already has', () => {
    const parent = [{ userId: 'u1', ...read }]
    expect(sharesBeyondParent([], [{ userId: 'u1', ...read }], parent)).toEqual({ shared: [], inheritedShares: [] })
    // The same entry repeated in `shared` is the folder's too.
    expect(sharesBeyondParent([{ userId: 'u1', ...read }], [{ userId: 'u1', ...read }], parent)).toEqual({ shared: [], inheritedShares: [] })
  })

  it('keeps the child\'s own entries, and a recipient given more than the folder gives', () => {
    const parent = [{ userId: 'u1', ...read }]
    const own = { groupId: 'g1', ...read }
    const more = { userId: 'u1', ...write }
    expect(sharesBeyondParent([own, more], [own, more, { userId: 'u1', ...read }], parent)).toEqual({ shared: [own, more], inheritedShares: [own, more] })
  })

  it('keeps everything when the parent has no shares', () => {
    const own = { userId: 'u2', ...read }
    expect(sharesBeyondParent([own], [own], undefined)).toEqual({ shared: [own], inheritedShares: [own] })
  })
})
