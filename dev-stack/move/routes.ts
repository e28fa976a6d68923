import type { RouteModule } from '../context'
import { EXPORTS_DOCTYPE, listExports } from './export-doc'
import { blockingReason, moveSettings, unblock, updateMoveSettings } from './instance-settings'
import { mountOAuthRoutes } from './oauth'
import { mountExportRoutes } from './export-routes'
import { mountImportRoutes } from './import-routes'
import { mountProtocolRoutes } from './protocol-routes'
import { closeImportingSockets, upgradeImportingSocket } from './importing-socket'
import { exportWorker, importWorker } from './workers'

/**
 * The move routes (docs/move.md; web/move/move.go Routes) and the OAuth routes a move wizard
 * uses (web/auth/oauth.go). The `export` and `import` workers (worker/moves/workers.go) are
 * registered on each instance's job system. See dev-stack/move/README.md.
 */
export const moveRoutes: RouteModule = {
  name: 'move',
  mount(router, ctx) {
    ctx.instance.jobs.registerWorker(exportWorker)
    ctx.instance.jobs.registerWorker(importWorker)
    mountOAuthRoutes(router, ctx)
    mountExportRoutes(router, ctx)
    mountImportRoutes(router, ctx)
    mountProtocolRoutes(router, ctx)
  },

  /**
   * After a restart, like jobs.start marks interrupted jobs errored: an export left
   * "exporting" becomes "error" (else every new export would get the 409 for a day) and an
   * import that was running no longer blocks the instance.
   */
  start: async ctx => {
    const instance = ctx.instance
    for (const doc of await listExports(instance)) {
      if (doc.state === 'exporting') await instance.dbs.put(EXPORTS_DOCTYPE, { ...doc, state: 'error', error: 'the stack was stopped during this export' })
    }
    if (blockingReason(instance) === 'IMPORTING' || moveSettings(instance).importing) {
      ctx.stack.config.log(`[move] ${instance.name}: the import was interrupted by a restart; the instance is unblocked`)
      await updateMoveSettings(instance, s => {
        delete s.importing
      })
      await unblock(instance)
    }
  },

  upgrade: upgradeImportingSocket,

  stop: closeImportingSockets
}
