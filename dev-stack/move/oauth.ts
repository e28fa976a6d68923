import crypto from 'crypto'
import type { Request, Response, Router } from 'express'
import type { StackContext } from '../context'
import type { Instance } from '../instance/instance'
import { newId } from '../storage/databases'
import { httpError, route, StackError } from '../http/errors'
import { isObject, readRawBody } from '../http/body'
import { authorizeMovePage, errorPage, sendPage } from './pages'

export const CLIENTS_DOCTYPE = 'io.cozy.oauth.clients'
export const ACCESS_CODES_DOCTYPE = 'io.cozy.oauth.access_codes'

/** model/move/request.go: the scope of a move token, good for a source and a target. */
export const MOVE_SCOPE = 'io.cozy.exports.requests io.cozy.imports'
/** consts.ExportsRequests: the only scope of a /move/authorize code. */
export const EXPORTS_REQUESTS_SCOPE = 'io.cozy.exports.requests'
/** request.go SourceClientID: the fake client of /move/authorize codes. */
export const SOURCE_CLIENT_ID = 'move'

/** model/oauth/client.go Client, as stored and as /auth/register answers it. */
export interface OAuthClient {
  client_id: string
  client_secret: string
  client_secret_expires_at: 0
  registration_access_token: string
  redirect_uris: string[]
  grant_types: string[]
  response_types: string[]
  client_name: string
  client_kind?: string
  client_uri?: string
  logo_uri?: string
  policy_uri?: string
  software_id: string
  software_version?: string
}

const SECRET_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

/**
 * pkg/crypto GenerateRandomString: letters and digits only. A base64url secret starts with `_`
 * once in 64 draws, and CouchDB refuses such a document id (the access code is one): the
 * source of a 400 that came and went in the move tests.
 */
function randomSecret(length = 32): string {
  let out = ''
  for (let i = 0; i < length; i++) out += SECRET_ALPHABET[crypto.randomInt(SECRET_ALPHABET.length)]
  return out
}

/** Client.Create: a fresh id and secret, the grant and response types forced. */
export async function createClient(instance: Instance, fields: Pick<OAuthClient, 'redirect_uris' | 'client_name' | 'software_id'> & Partial<OAuthClient>): Promise<OAuthClient> {
  const id = newId()
  const client: OAuthClient = {
    ...fields,
    client_id: id,
    client_secret: randomSecret(),
    client_secret_expires_at: 0,
    registration_access_token: randomSecret(),
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code']
  }
  await instance.dbs.put(CLIENTS_DOCTYPE, { _id: id, ...client })
  return client
}

export async function findClient(instance: Instance, clientId: string): Promise<OAuthClient | null> {
  if (!clientId || clientId.startsWith('_')) return null
  const doc = await instance.dbs.getOrNull(CLIENTS_DOCTYPE, clientId)
  if (!doc) return null
  const { _id: _i, _rev: _r, ...client } = doc
  return client as unknown as OAuthClient
}

/** oauth.CreateAccessCode: a one-time code for a client and a scope. */
export async function createAccessCode(instance: Instance, clientId: string, scope: string): Promise<string> {
  const code = randomSecret(22)
  await instance.dbs.put(ACCESS_CODES_DOCTYPE, { _id: code, client_id: clientId, scope, created_at: new Date().toISOString() })
  return code
}

export async function findAccessCode(instance: Instance, code: string): Promise<{ client_id: string; scope: string; _rev?: string } | null> {
  if (!code || code.startsWith('_')) return null
  const doc = await instance.dbs.getOrNull(ACCESS_CODES_DOCTYPE, code)
  return doc ? { client_id: String(doc.client_id), scope: String(doc.scope), _rev: doc._rev } : null
}

/** client.CreateJWT with the access-token audience: what the move endpoints accept. */
export function accessTokenFor(instance: Instance, clientId: string, scope: string): string {
  return instance.issueToken('access-token', clientId, { scope })
}

/** auth.DiskInfo: used = files + versions, quota only when there is one (strings). */
export async function diskInfo(instance: Instance): Promise<{ used: string; quota?: string }> {
  const usage = await instance.files.diskUsage()
  const quota = instance.state.quota
  return quota !== null && quota > 0 ? { used: String(usage.used), quota: String(quota) } : { used: String(usage.used) }
}

/** c.FormValue: a field of an urlencoded body, else of the query string. */
export async function readForm(req: Request): Promise<URLSearchParams> {
  const type = String(req.headers['content-type'] ?? '')
  const form = new URLSearchParams()
  if (type.startsWith('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams((await readRawBody(req, 256 * 1024)).toString('utf8'))) form.append(k, v)
  }
  for (const [k, v] of Object.entries(req.query)) {
    if (typeof v === 'string' && !form.has(k)) form.set(k, v)
  }
  return form
}

function jsonError(res: Response, status: number, error: string, description?: string): void {
  res.status(status).json(description ? { error, error_description: description } : { error })
}

/** Client.AcceptRedirectURI: exactly one of the registered URIs. */
function acceptsRedirect(client: OAuthClient, uri: string): boolean {
  return client.redirect_uris.includes(uri)
}

/** moveSuccessURI (web/auth/oauth.go): the redirect with state, code, vault, used and quota. */
async function moveSuccessUri(instance: Instance, client: OAuthClient, redirect: string, state: string): Promise<string> {
  const u = new URL(redirect)
  const code = await createAccessCode(instance, client.client_id, MOVE_SCOPE)
  const info = await diskInfo(instance)
  u.searchParams.set('state', state)
  u.searchParams.set('code', code)
  // bitwarden vaults do not exist in the stand-in
  u.searchParams.set('vault', 'false')
  u.searchParams.set('used', info.used)
  if (info.quota) u.searchParams.set('quota', info.quota)
  return u.toString()
}

/**
 * The OAuth routes a move wizard calls (docs/auth.md; web/auth/register.go registerClient,
 * web/auth/oauth.go authorizeMoveForm, authorizeMove, accessToken).
 */
export function mountOAuthRoutes(router: Router, ctx: StackContext): void {
  // web/auth/register.go registerClient, behind middlewares.AcceptJSON and ContentTypeJSON
  router.post(
    '/auth/register',
    route((req, res) => registerClient(ctx, req, res))
  )

  // web/auth/oauth.go authorizeMoveForm: the password form, even for a logged-in user
  router.get(
    '/auth/authorize/move',
    route((req, res) => authorizeMoveForm(ctx, req, res))
  )

  /**
   * web/auth/oauth.go authorizeMove: checks the passphrase, then answers JSON {"redirect"}
   * (the stack's page follows it with JavaScript). A plain HTML form (no Accept: JSON) gets a
   * 303 to the same place instead, so the stand-in's page works without a script. The stack
   * reads the field `redirect` (docs/auth.md says redirect_uri) and does not check it again;
   * the stand-in also requires it to be one of the client's redirect URIs.
   */
  router.post(
    '/auth/authorize/move',
    route((req, res) => authorizeMove(ctx, req, res))
  )

  // web/auth/oauth.go accessToken: authorization_code and refresh_token grants
  router.post(
    '/auth/access_token',
    route((req, res) => accessToken(ctx, req, res))
  )
}

async function registerClient(ctx: StackContext, req: Request, res: Response): Promise<void> {
  const instance = ctx.instance
  const accept = String(req.headers.accept ?? '')
  if (accept !== '*/*' && !accept.includes('application/json')) return jsonError(res, 400, 'bad_accept_header')
  if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return jsonError(res, 400, 'bad_content_type')
  let body: unknown
  try {
    body = JSON.parse((await readRawBody(req, 64 * 1024)).toString('utf8'))
  } catch (err) {
    // the stack returns the decoder's error, which its error handler turns into a 500
    throw new StackError(500, 'jsonapi', (err as Error).message, { title: 'Unqualified error' })
  }
  if (!isObject(body)) throw new StackError(500, 'jsonapi', 'json: cannot unmarshal into Go value of type oauth.Client', { title: 'Unqualified error' })
  const uris = Array.isArray(body.redirect_uris) ? body.redirect_uris.filter((u): u is string => typeof u === 'string') : []
  if (uris.length === 0) return jsonError(res, 400, 'invalid_redirect_uri', 'redirect_uris is mandatory')
  for (const uri of uris) {
    let u: URL | null = null
    try {
      u = new URL(uri)
    } catch {
      u = null
    }
    if (!u || u.host === instance.domain || u.hash !== '') return jsonError(res, 400, 'invalid_redirect_uri', `${uri} is invalid`)
  }
  const str = (k: string): string | undefined => (typeof body[k] === 'string' ? (body[k] as string) : undefined)
  const name = str('client_name')
  if (!name) return jsonError(res, 400, 'invalid_client_metadata', 'client_name is mandatory')
  const softwareId = str('software_id')
  if (!softwareId) return jsonError(res, 400, 'invalid_client_metadata', 'software_id is mandatory')
  const client = await createClient(instance, {
    redirect_uris: uris,
    client_name: name,
    software_id: softwareId,
    client_kind: str('client_kind'),
    client_uri: str('client_uri'),
    logo_uri: str('logo_uri'),
    policy_uri: str('policy_uri'),
    software_version: str('software_version')
  })
  res.status(201).json(client)
}

async function authorizeMoveForm(ctx: StackContext, req: Request, res: Response): Promise<void> {
  const instance = ctx.instance
  const q = (k: string): string => (typeof req.query[k] === 'string' ? (req.query[k] as string) : '')
  const state = q('state')
  if (!state) return sendPage(res, 400, errorPage(instance, 'No state parameter'))
  const clientId = q('client_id')
  if (!clientId) return sendPage(res, 400, errorPage(instance, 'No client_id parameter'))
  const redirect = q('redirect_uri')
  if (!redirect) return sendPage(res, 400, errorPage(instance, 'No redirect_uri parameter'))
  const client = await findClient(instance, clientId)
  if (!client) return sendPage(res, 400, errorPage(instance, 'No registered client'))
  if (!acceptsRedirect(client, redirect)) return sendPage(res, 400, errorPage(instance, 'Incorrect redirect_uri'))
  sendPage(res, 200, authorizeMovePage(instance, { state, clientId, redirect }))
}

async function authorizeMove(ctx: StackContext, req: Request, res: Response): Promise<void> {
  const instance = ctx.instance
  const form = await readForm(req)
  const wantsJson = String(req.headers.accept ?? '').includes('application/json')
  const state = form.get('state') ?? ''
  const clientId = form.get('client_id') ?? ''
  const redirect = form.get('redirect') ?? ''
  if (!instance.checkPassphrase(form.get('passphrase') ?? '')) {
    const message = instance.state.locale === 'en' ? 'The password is incorrect.' : 'Le mot de passe est incorrect.'
    if (wantsJson) return jsonError(res, 401, message)
    return sendPage(res, 401, authorizeMovePage(instance, { state, clientId, redirect }, message))
  }
  try {
    new URL(redirect)
  } catch {
    throw httpError(400, 'bad url: could not parse')
  }
  const client = await findClient(instance, clientId)
  if (!client) throw httpError(404, 'Client not found')
  if (!acceptsRedirect(client, redirect)) throw httpError(400, 'bad url: not a redirect_uri of the client')
  const target = await moveSuccessUri(instance, client, redirect, state)
  if (wantsJson) res.status(200).json({ redirect: target })
  else res.redirect(303, target)
}

async function accessToken(ctx: StackContext, req: Request, res: Response): Promise<void> {
  const instance = ctx.instance
  const form = await readForm(req)
  const grant = form.get('grant_type') ?? ''
  const clientId = form.get('client_id') ?? ''
  const clientSecret = form.get('client_secret') ?? ''
  if (!grant) return jsonError(res, 400, 'the grant_type parameter is mandatory')
  if (!clientId) return jsonError(res, 400, 'the client_id parameter is mandatory')
  if (!clientSecret) return jsonError(res, 400, 'the client_secret parameter is mandatory')
  const client = await findClient(instance, clientId)
  if (!client) return jsonError(res, 400, 'the client must be registered')
  const given = Buffer.from(clientSecret)
  const expected = Buffer.from(client.client_secret)
  if (given.length !== expected.length || !crypto.timingSafeEqual(new Uint8Array(given), new Uint8Array(expected))) return jsonError(res, 400, 'invalid client_secret')
  let scope: string
  let refresh: string | undefined
  if (grant === 'authorization_code') {
    const code = form.get('code') ?? ''
    if (!code) return jsonError(res, 400, 'the code parameter is mandatory')
    const access = await findAccessCode(instance, code)
    // the stack does not check that the code was given to this client; the stand-in does
    if (!access || access.client_id !== clientId) return jsonError(res, 400, 'invalid code')
    scope = access.scope
    refresh = instance.issueToken('refresh-token', clientId, { scope })
    // an access code can be used only once
    if (access._rev) await instance.dbs.remove(ACCESS_CODES_DOCTYPE, code, access._rev)
  } else if (grant === 'refresh_token') {
    const claims = instance.verifyClaims(form.get('refresh_token') ?? '')
    if (!claims || claims.aud !== 'refresh-token' || claims.sub !== clientId) return jsonError(res, 400, 'invalid refresh token')
    scope = claims.scope ?? ''
  } else {
    return jsonError(res, 400, 'invalid grant type')
  }
  const out: Record<string, string> = { token_type: 'bearer', scope, access_token: accessTokenFor(instance, clientId, scope) }
  if (refresh) out.refresh_token = refresh
  res.status(200).json(out)
}
