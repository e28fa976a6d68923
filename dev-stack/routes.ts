import type { RouteModule } from './context'
import { statusRoutes } from './status/routes'
import { sessionRoutes } from './auth/session-routes'
import { dataRoutes } from './data/routes'
import { filesRoutes } from './files/routes'
import { settingsRoutes } from './settings/routes'
import { jobsRoutes } from './jobs/routes'
import { realtimeRoutes } from './realtime/routes'
import { sharingsRoutes } from './sharings/routes'
import { notificationsRoutes } from './notifications/routes'
import { appsRoutes } from './apps/routes'
import { devRoutes } from './dev/routes'
import { moveRoutes } from './move/routes'
import { intentsRoutes } from './intents/routes'

/**
 * Every area of the stand-in's API, mounted in this order on every instance. To add an area,
 * write `dev-stack/<area>/routes.ts` exporting a RouteModule and append it here (the move
 * engineer appends `moveRoutes` from dev-stack/move/routes.ts).
 */
export const ROUTE_MODULES: RouteModule[] = [statusRoutes, sessionRoutes, filesRoutes, settingsRoutes, jobsRoutes, realtimeRoutes, sharingsRoutes, notificationsRoutes, dataRoutes, appsRoutes, intentsRoutes, moveRoutes, devRoutes]
