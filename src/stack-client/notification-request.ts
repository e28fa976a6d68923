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

/** The request's attributes as the stack names them (`content_html`, `preferred_channels`). */
export function notificationAttributes(notification: NotificationRequest): Record<string, unknown> {
  const attributes: Record<string, unknown> = {
    category: notification.category,
    title: notification.title,
    message: notification.message
  }
  if (notification.content) attributes.content = notification.content
  if (notification.contentHtml) attributes.content_html = notification.contentHtml
  if (notification.preferredChannels) attributes.preferred_channels = notification.preferredChannels
  if (notification.data) attributes.data = notification.data
  return attributes
}
