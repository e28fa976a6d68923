import type { Request, Router } from 'express'
import type { IncomingMessage } from 'http'
import type { Duplex } from 'stream'
import type { Instance } from './instance/instance'
import type { Outbox } from './mail/outbox'
import type { PermissionSet, PermissionTarget, Verb } from './auth/permissions'
import type { Session } from './instance/instance'

/** Options every part of the stand-in can read. */
export interface StackConfig {
  /** Root of everything stored on disk. */
  dataDir: string
  /** Default time limit of a konnector job in seconds (the stack's jobs.workers.konnector.timeout, 300 s). */
  konnectorTimeLimitSeconds: number
  /** Max executions of a konnector job (worker/exec/common.go MaxExecCount 2). */
  konnectorMaxExecCount: number
  /** Default time limit of a webapp service job in seconds (worker/exec/common.go defaultTimeout, 300 s). */
  serviceTimeLimitSeconds?: number
  /** The stand-in's app registry: konnector folders by slug, what `registry://<slug>` installs. */
  registry?: Record<string, string>
  /** Base URL of the move wizard (the stack's `move.url` config); the move module reads it. */
  moveWizardUrl?: string
  /** The export's minimal parts size (model/move/export.go minimalPartsSize, 1 GiB); tests lower it to get several parts. */
  exportMinimalPartsSize?: number
  /**
   * Delay added before every request is handled, as a remote stack's network would: tests use
   * it to make work take a known minimum time whatever the machine's speed.
   */
  requestLatencyMs?: number
  /** Prints a console line (server log, mails); silent in tests. */
  log: (line: string) => void
}

/** What the whole stack offers to a route module: all instances, the mail outbox, the config. */
export interface StackRuntime {
  readonly config: StackConfig
  readonly instances: readonly Instance[]
  readonly outbox: Outbox
  /** The instance serving a domain (host:port), e.g. to talk to another instance during a move. */
  findInstance(domain: string): Instance | undefined
}

/**
 * What a route module gets for the instance it is mounted on. Permission helpers follow
 * web/middlewares/permissions.go: they throw the stack's errors (401/400/403) for the
 * error middleware to render.
 */
export interface StackContext {
  readonly stack: StackRuntime
  readonly instance: Instance
  /** middlewares.GetPermission: the request's permission set, or 401/400. */
  permission(req: Request): Promise<PermissionSet>
  /** middlewares.AllowWholeType. */
  allowWholeType(req: Request, verb: Verb, doctype: string): Promise<PermissionSet>
  /** middlewares.Allow on one document. */
  allow(req: Request, verb: Verb, target: PermissionTarget): Promise<PermissionSet>
  /** The logged-in user's session (cookie), or null. */
  session(req: Request): Promise<Session | null>
}

/**
 * A part of the stack's HTTP API. Every module is listed once in dev-stack/routes.ts; the
 * server mounts each one on every instance. `mount` adds routes to the instance's router (use
 * full paths such as "/files/:id"); `upgrade` may take over a websocket upgrade and returns
 * true when it did.
 */
export interface RouteModule {
  name: string
  mount(router: Router, ctx: StackContext): void
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer, ctx: StackContext): boolean
  /** Called once per instance when the stack starts (after listen) and stops. */
  start?(ctx: StackContext): Promise<void>
  stop?(ctx: StackContext): Promise<void>
}
