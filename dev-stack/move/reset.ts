import { promises as fs } from 'fs'
import path from 'path'
import type { Instance } from '../instance/instance'
import { FILES_DOCTYPE, ROOT_DIR_ID, TRASH_DIR_ID } from '../files/vfs'
import { EXPORTS_DOCTYPE } from './export-doc'

/**
 * Doctypes lifecycle.Reset would recreate but the stand-in keeps:
 * - io.cozy.apps / io.cozy.konnectors: the stack reinstalls apps from its registry after the
 *   reset; the stand-in has no registry, so the target keeps the apps it has;
 * - io.cozy.jobs: the running import job is stored there (the stack's job broker keeps it elsewhere);
 * - io.cozy.exports: the stack keeps exports in its global database, outside the instance.
 */
const KEPT = new Set(['io.cozy.apps', 'io.cozy.konnectors', 'io.cozy.jobs', EXPORTS_DOCTYPE])

/**
 * model/instance/lifecycle Reset, as the import calls it: every document and every file of the
 * instance is erased (the root and trash folders are kept, empty), triggers are unscheduled.
 */
export async function resetInstance(instance: Instance): Promise<void> {
  for (const trigger of await instance.jobs.allTriggers()) await instance.jobs.deleteTrigger(trigger)
  await instance.files.init()
  for (const doctype of await instance.dbs.doctypes()) {
    if (KEPT.has(doctype) || doctype === 'io.cozy.triggers') continue
    const docs = await instance.dbs.list(doctype)
    const doomed = docs.filter(d => !(doctype === FILES_DOCTYPE && (d._id === ROOT_DIR_ID || d._id === TRASH_DIR_ID)))
    for (let i = 0; i < doomed.length; i += 500) {
      await instance.dbs.bulk(
        doctype,
        doomed.slice(i, i + 500).map(d => ({ _id: d._id, _rev: d._rev, _deleted: true }))
      )
    }
  }
  // file contents are stored by id in two-character folders; the upload folder is kept
  const entries = await fs.readdir(instance.filesDir).catch(() => [] as string[])
  for (const entry of entries) {
    if (entry === '.upload') continue
    await fs.rm(path.join(instance.filesDir, entry), { recursive: true, force: true })
  }
  await instance.files.diskUsage()
}
