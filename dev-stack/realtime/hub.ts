import type { ChangeVerb } from '../storage/databases'

/** One realtime event, as web/realtime/realtime.go sends it: `{event, payload: {type, id, doc}}`. */
export interface RealtimeEvent {
  doctype: string
  verb: ChangeVerb | 'NOTIFIED'
  id: string
  doc: Record<string, unknown>
}
export type RealtimeListener = (event: RealtimeEvent) => void

/** The per-instance hub (pkg/realtime): document writes and worker events fan out to subscribers. */
export class RealtimeHub {
  private readonly listeners = new Set<RealtimeListener>()

  subscribe(listener: RealtimeListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  publish(event: RealtimeEvent): void {
    for (const l of this.listeners) {
      try {
        l(event)
      } catch {
        // one broken subscriber must not break the others
      }
    }
  }
}
