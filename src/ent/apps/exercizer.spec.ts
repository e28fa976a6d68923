/**
 * Exercizer subjects in the trash (`is_deleted`, ExercizerRepositoryEvents exports `sub.*`):
 * read with their state, planned only when the import takes the trash.
 */
import path from 'path'
import { temporaryDirectory } from '../../../test/fixtures/paths'
import { EXERCIZER_SUBJECTS, writeWscalArchive } from '../../../test/fixtures/wscal-cases'
import { Planner, type FileOp } from '../../import/plan'
import { openArchiveFile, type EntArchive, type EntItem, type RichText } from '../node'
import { isDeleted } from './exercizer'

describe('exercizer trash', () => {
  const tmp = temporaryDirectory('exercizer-')
  let archive: EntArchive
  const items: EntItem[] = []

  beforeAll(async () => {
    const target = path.join(tmp.dir, 'wscal.zip')
    await writeWscalArchive(target)
    archive = await openArchiveFile(target)
    for await (const item of archive.readApp(location())) items.push(item)
  })

  afterAll(async () => {
    await archive?.close()
    tmp.remove()
  })

  function location() {
    const found = archive.apps.find(a => a.app === 'exercizer')
    if (!found) throw new Error('no exercizer')
    return found
  }

  function plannedNotes(includeTrash: boolean): string[] {
    const planner = new Planner({ archive, includeTrash })
    planner.startApp(location())
    const ops = items.flatMap(item => planner.plan(item))
    return ops.filter((op): op is FileOp => op.kind === 'file').map(op => [...op.dir, op.name].join('/'))
  }

  it('reads the SQL boolean (and the text form of older dumps)', () => {
    expect([true, 't', 'true'].map(isDeleted)).toEqual([true, true, true])
    expect([false, 'f', null, undefined, 0].map(isDeleted)).toEqual([false, false, false, false, false])
  })

  it('marks the deleted subject, keeping its grains with it', () => {
    const subjects = items.filter((i): i is RichText => i.type === 'rich-text')
    const state = Object.fromEntries(subjects.map(s => [s.entId, s.state]))
    expect(state).toEqual({ [String(EXERCIZER_SUBJECTS.live)]: null, [String(EXERCIZER_SUBJECTS.deleted)]: 'DELETED' })
    const deleted = subjects.find(s => s.entId === String(EXERCIZER_SUBJECTS.deleted))
    expect((deleted?.raw as { grains: unknown[] }).grains).toHaveLength(1)
  })

  it('leaves deleted subjects out unless the trash is ticked, then puts them in the app\'s Corbeille', () => {
    expect(plannedNotes(false)).toEqual(['Exercices/Maths/Fractions.cozy-note'])
    expect(plannedNotes(true).sort()).toEqual(['Exercices/Corbeille/Ancien sujet.cozy-note', 'Exercices/Maths/Fractions.cozy-note'])
  })
})
