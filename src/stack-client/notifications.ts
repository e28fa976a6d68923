import type { StackFetcher } from './fetcher'
import { withStackErrors } from './StackError'
import { notificationAttributes, type NotificationRequest } from './notification-request'

export type { NotificationRequest } from './notification-request'

export function notificationsApi(stack: StackFetcher) {
  return {
    /** Needs POST on io.cozy.notifications. */
    async create(notification: NotificationRequest): Promise<void> {
      const attributes = notificationAttributes(notification)
      await withStackErrors(() =>
        stack.fetchJSON('POST', '/notifications', { data: { type: 'io.cozy.notifications', attributes } })
      )
    }
  }
}

export type NotificationsApi = ReturnType<typeof notificationsApi>
