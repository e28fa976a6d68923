import type { StackFetcher } from './fetcher'
import { withStackErrors } from './StackError'

/** `POST /notifications` (docs/notifications.md); the category must be in the manifest. */
export interface NotificationRequest {
  category: string
  title: string
  message: string
  /** Plain-text and HTML bodies used by the stack for the mail channel. */
  content?: string
  contentHtml?: string
  preferredChannels?: Array<'mobile' | 'mail'>
  /** Sent to mobiles; `redirectLink` (`<slug>/#/<route>`) opens the app there. */
  data?: Record<string, string>
}

export function notificationsApi(stack: StackFetcher) {
  return {
    /** Needs POST on io.cozy.notifications. */
    async create(notification: NotificationRequest): Promise<void> {
      const attributes: Record<string, unknown> = {
        category: notification.category,
        title: notification.title,
        message: notification.message
      }
      if (notification.content) attributes.content = notification.content
      if (notification.contentHtml) attributes.content_html = notification.contentHtml
      if (notification.preferredChannels) attributes.preferred_channels = notification.preferredChannels
      if (notification.data) attributes.data = notification.data
      await withStackErrors(() =>
        stack.fetchJSON('POST', '/notifications', { data: { type: 'io.cozy.notifications', attributes } })
      )
    }
  }
}

export type NotificationsApi = ReturnType<typeof notificationsApi>
