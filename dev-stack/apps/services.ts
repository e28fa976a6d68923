import type { Instance } from '../instance/instance'
import type { ManifestService } from '../jobs/service'

type Services = Record<string, ManifestService>

function servicesOf(value: unknown): Services {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Services) : {}
}

/**
 * diffServices (model/app/webapp.go), run when a webapp is installed or updated: a service
 * that is new, or whose file, type, trigger or debounce changed, gets a new trigger (its old
 * one is deleted) of worker "service" with the message {slug, name}; the trigger string
 * "@event io.cozy.x:UPDATED" is split at its first space into type and arguments. A service
 * that did not change keeps its trigger. Returns the services as the app document stores
 * them, each with its `trigger_id`.
 */
export async function diffServices(instance: Instance, slug: string, oldValue: unknown, newValue: unknown): Promise<Services> {
  const oldServices = servicesOf(oldValue)
  const next: Services = {}
  for (const [name, service] of Object.entries(servicesOf(newValue))) next[name] = { ...service }
  const deleted: ManifestService[] = []
  const created: string[] = []
  for (const [name, old] of Object.entries(oldServices)) {
    const now = next[name]
    if (!now) {
      deleted.push(old)
      continue
    }
    if (now.file !== old.file || now.type !== old.type || now.trigger !== old.trigger || now.debounce !== old.debounce) {
      deleted.push(old)
      created.push(name)
    } else {
      next[name] = { ...old }
    }
  }
  for (const name of Object.keys(next)) if (!(name in oldServices)) created.push(name)

  for (const old of deleted) {
    const trigger = old.trigger_id ? await instance.jobs.getTrigger(old.trigger_id) : null
    if (trigger) await instance.jobs.deleteTrigger(trigger)
  }
  for (const name of created) {
    const service = next[name]
    const spec = (service.trigger ?? '').trim()
    const space = spec.indexOf(' ')
    const type = (space < 0 ? spec : spec.slice(0, space)).trim()
    const args = space < 0 ? '' : spec.slice(space + 1).trim()
    const trigger = await instance.jobs.addTrigger({ type, worker: 'service', arguments: args, debounce: service.debounce || undefined, message: { slug, name } })
    service.trigger_id = trigger._id
  }
  return next
}
