import CozyClient from 'cozy-client'
import { RealtimePlugin } from 'cozy-realtime'

/** What the stack renders into `data-cozy` (docs/apps.md "CozyData"); only the fields we use. */
export interface CozyData {
  domain: string
  token: string
  locale: string
  subdomain?: 'nested' | 'flat'
  app: { name?: string; slug?: string; version?: string; icon?: string; editor?: string }
}

export const SUPPORTED_LOCALES = ['fr', 'en'] as const
export type Locale = (typeof SUPPORTED_LOCALES)[number]
/** These users are mostly French: anything we do not know falls back to French. */
export const DEFAULT_LOCALE: Locale = 'fr'

export function toLocale(value: string | undefined | null): Locale {
  const short = (value ?? '').slice(0, 2).toLowerCase()
  return (SUPPORTED_LOCALES as readonly string[]).includes(short) ? (short as Locale) : DEFAULT_LOCALE
}

/**
 * Reads the stack's `data-cozy` attribute. An attribute that still holds the raw template
 * placeholder (the page opened outside a stack) is reported rather than half-parsed.
 */
export function readCozyData(root: HTMLElement): CozyData {
  const raw = root.dataset.cozy
  if (!raw || raw.startsWith('{{')) {
    throw new Error('This page must be served by a Cozy stack: data-cozy is missing.')
  }
  const parsed = JSON.parse(raw) as Partial<CozyData>
  if (typeof parsed.domain !== 'string' || typeof parsed.token !== 'string') {
    throw new Error('data-cozy lacks the domain or the token.')
  }
  return {
    domain: parsed.domain,
    token: parsed.token,
    locale: toLocale(parsed.locale),
    subdomain: parsed.subdomain,
    app: parsed.app ?? {}
  }
}

/** With cozy-realtime's plugin registered, so queries can follow changes (RealTimeQueries). */
export function createClientFromCozyData(data: CozyData, protocol: string): CozyClient {
  const client = new CozyClient({
    uri: `${protocol}//${data.domain}`,
    token: data.token,
    appMetadata: { slug: data.app.slug ?? 'mes-donnees', version: data.app.version ?? '0.0.0' },
    schema: {}
  })
  client.registerPlugin(RealtimePlugin, {})
  return client
}
