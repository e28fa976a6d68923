/**
 * Getting the ENT konnector installed: only the Store may install a konnector
 * (web/middlewares/permissions.go AllowInstallApp), so the app asks the Store through its
 * INSTALL intent on io.cozy.apps (docs/intents.md; cozy-store's manifest), and falls back
 * to the Store's page for the konnector when no intent service answers.
 */
import type { StackFetcher } from './fetcher'
import { asRecord, singleResource } from './jsonapi'

export function storeApi(stack: StackFetcher) {
  return {
    /** URL of the Store's INSTALL service for `slug`, or of its page, or null without a Store. */
    async installUrl(slug: string): Promise<string | null> {
      try {
        const body = await stack.fetchJSON('POST', '/intents', {
          data: { type: 'io.cozy.intents', attributes: { action: 'INSTALL', type: 'io.cozy.apps', data: { slug }, permissions: ['GET'] } }
        })
        const services = singleResource(body).attributes.services
        const first = Array.isArray(services) ? asRecord(services[0]) : {}
        if (typeof first.href === 'string' && first.href !== '') return first.href
      } catch {
        // No intents route or no service: try the Store's own page.
      }
      try {
        const store = singleResource(await stack.fetchJSON('GET', '/apps/store'))
        const related = store.links.related
        if (typeof related === 'string') return `${related.replace(/\/$/, '')}/#/discover/${encodeURIComponent(slug)}`
      } catch {
        // No Store on this Cozy.
      }
      return null
    }
  }
}

export type StoreApi = ReturnType<typeof storeApi>
