import { promises as fs } from 'fs'
import os from 'os'
import path from 'path'
import type { IncomingMessage } from 'http'
import type { Duplex } from 'stream'
import { Instance } from './instance/instance'
import { Outbox } from './mail/outbox'
import { ROUTE_MODULES } from './routes'
import type { RouteModule, StackConfig, StackContext, StackRuntime } from './context'
import { buildInstanceApp, listen, makeContext, type RunningServer } from './server'
import { webappHandler } from './apps/webapp-server'
import { createMagicCode } from './auth/session-routes'
import { seedDemo } from './seed/demo'

export interface StartStackOptions {
  /** Where everything is stored; a fresh temporary folder when omitted (removed by stop()). */
  dataDir?: string
  /** Number of instances (default 1); they are named alice, bob, carol, … */
  instances?: number
  /** Port of the first instance's API (default 0 = any free port). With a fixed port P, instance
   * i listens on P + 10·i and its webapps on the following ports (P + 10·i + slot). */
  port?: number
  /** Install the app and the konnector (from build/, or the given folders) and seed files,
   * contacts and the ENT sample on the first instance. */
  seedDemo?: boolean | { appDir?: string; konnectorDir?: string }
  /** Default time limit of konnector jobs in seconds (default 300, as the stack). */
  konnectorTimeLimitSeconds?: number
  /** Default time limit of webapp service jobs in seconds (default 300, as the stack). */
  serviceTimeLimitSeconds?: number
  /** Konnector folders by slug, installable from the Store (`registry://<slug>/stable`). */
  registry?: Record<string, string>
  /** Install the stand-in's Store (dev-stack/store/app: the INSTALL intent on io.cozy.apps) on every instance. */
  store?: boolean
  /** Passphrase of every instance created by this start (default "cozy"). */
  passphrase?: string
  /** Disk quota in bytes of newly created instances (default unlimited). */
  quota?: number | null
  /** Locale of newly created instances (default "fr"). */
  locale?: string
  /** Base URL of the move wizard (the stack's move.url). */
  moveWizardUrl?: string
  /** The export's minimal parts size in bytes (default 1 GiB, as the stack); tests lower it to get several parts. */
  exportMinimalPartsSize?: number
  /** Delay in ms before every request is handled (default 0), like a remote stack's network. */
  requestLatencyMs?: number
  /** Console lines (mails, konnector logs); default silent. */
  log?: (line: string) => void
  /** Extra route modules mounted after the built-in ones (tests, experiments). */
  extraModules?: RouteModule[]
}

/** One instance as the programmatic API exposes it. */
export interface StackInstance {
  name: string
  /** http://127.0.0.1:PORT/ (with the trailing slash, like COZY_URL). */
  url: string
  /** 127.0.0.1:PORT, what the stack calls the domain. */
  domain: string
  /** A token with every permission (cozy-stack instances token-cli). */
  cliToken: string
  passphrase: string
  /** The origin of an installed webapp, e.g. appUrl('mes-donnees'). */
  appUrl(slug: string): string
  /** An app token (webapp) or konnector token with the permissions of its manifest. */
  tokenFor(slug: string): string
  /** Installs a webapp (folder with manifest.webapp + index.html) or a konnector (manifest.konnector + index.js). */
  installApp(dir: string): Promise<void>
  installKonnector(dir: string): Promise<void>
  /** A one-time link that logs the browser in and lands on `redirect` (default: the first app). */
  loginUrl(redirect?: string): string
  /** Logs in with the passphrase and returns the Cookie header value, for HTTP tests. */
  sessionCookie(): Promise<string>
  /** The underlying instance (databases, files, jobs) for white-box tests. */
  instance: Instance
}

export interface RunningStack {
  instances: StackInstance[]
  outbox: Outbox
  dataDir: string
  /** Stops every server and job and closes the databases (and removes a temporary data dir). */
  stop(): Promise<void>
}

/** The stand-in's Store: the INSTALL intent of cozy-store, installing from `registry`. */
export const STORE_APP_DIR = path.join(__dirname, 'store/app')

const NAMES = ['alice', 'bob', 'carol', 'dave', 'eve', 'frank', 'grace', 'heidi', 'ivan', 'judy']

function instanceName(i: number): string {
  return NAMES[i] ?? `user${i + 1}`
}

class Runtime implements StackRuntime {
  readonly instances: Instance[] = []
  constructor(
    readonly config: StackConfig,
    readonly outbox: Outbox
  ) {}
  findInstance(domain: string): Instance | undefined {
    return this.instances.find(i => i.domain === domain)
  }
}

function stackConfig(options: StartStackOptions, dataDir: string, log: (line: string) => void): StackConfig {
  return {
    dataDir,
    konnectorTimeLimitSeconds: options.konnectorTimeLimitSeconds ?? 300,
    konnectorMaxExecCount: 2,
    serviceTimeLimitSeconds: options.serviceTimeLimitSeconds ?? 300,
    moveWizardUrl: options.moveWizardUrl,
    registry: options.registry,
    exportMinimalPartsSize: options.exportMinimalPartsSize,
    requestLatencyMs: options.requestLatencyMs,
    log
  }
}

/** Instances already on disk come back; the count asked for is a minimum. */
async function instanceNames(dataDir: string, asked: number | undefined): Promise<string[]> {
  const existing = (await fs.readdir(path.join(dataDir, 'instances')).catch(() => [] as string[])).sort()
  const count = Math.max(asked ?? 1, 1)
  const names: string[] = []
  for (let i = 0; i < count; i++) names.push(instanceName(i))
  for (const n of existing) if (!names.includes(n)) names.push(n)
  return names
}

/** The servers of one start: one per instance API, one per installed webapp. */
class StackServers {
  readonly servers: RunningServer[] = []
  readonly contexts: StackContext[] = []
  private readonly appServers = new Map<Instance, Map<string, RunningServer>>()

  constructor(
    private readonly basePort: number,
    private readonly modules: RouteModule[]
  ) {}

  async serveWebapp(instance: Instance, slug: string, slot: number, index: number): Promise<void> {
    const byInstance = this.appServers.get(instance) ?? new Map<string, RunningServer>()
    this.appServers.set(instance, byInstance)
    if (byInstance.has(slug)) return
    const port = this.basePort ? this.basePort + 10 * index + slot : 0
    const s = await listen(webappHandler(instance, slug), port)
    byInstance.set(slug, s)
    instance.setAppPort(slug, s.port)
  }

  /** Serves an opened instance's API (with the modules' WebSocket upgrades) and its webapps. */
  async serveInstance(runtime: StackRuntime, instance: Instance, index: number): Promise<void> {
    const ctx = makeContext(runtime, instance)
    this.contexts.push(ctx)
    const app = buildInstanceApp(ctx, this.modules)
    const server = await listen(app, this.basePort ? this.basePort + 10 * index : 0)
    server.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      for (const mod of this.modules) {
        if (mod.upgrade?.(req, socket, head, ctx)) return
      }
      socket.destroy()
    })
    this.servers.push(server)
    instance.setPort(server.port)
    for (const entry of Object.values(instance.state.apps)) await this.serveWebapp(instance, entry.slug, entry.slot ?? 1, index)
  }

  all(): RunningServer[] {
    return [...this.servers, ...[...this.appServers.values()].flatMap(m => [...m.values()])]
  }
}

function instanceHandle(instance: Instance, index: number, passphrase: string, servers: StackServers): StackInstance {
  return {
    name: instance.name,
    get url() {
      return instance.url
    },
    get domain() {
      return instance.domain
    },
    get cliToken() {
      return instance.cliToken()
    },
    passphrase,
    appUrl: slug => instance.appUrl(slug),
    tokenFor: slug => instance.tokenFor(slug),
    installApp: async dir => {
      const entry = await instance.install(dir)
      if (entry.type === 'webapp') await servers.serveWebapp(instance, entry.slug, entry.slot ?? 1, index)
    },
    installKonnector: async dir => {
      await instance.install(dir)
    },
    loginUrl: redirect => {
      const code = createMagicCode(instance.domain)
      const r = redirect ? `&redirect=${encodeURIComponent(redirect)}` : ''
      return `${instance.url}auth/magic_link?code=${code}${r}`
    },
    sessionCookie: async () => {
      const session = await instance.createSession()
      return `${instance.sessionCookieName}=${session.id}`
    },
    instance
  }
}

/** Runs what follows the start (demo, Store); a failure stops everything before going up. */
async function orStop(stop: () => Promise<void>, run: () => Promise<void>): Promise<void> {
  try {
    await run()
  } catch (err) {
    await stop()
    throw err
  }
}

/**
 * Starts the stand-in: opens (or creates) the instances stored under dataDir, listens on
 * 127.0.0.1 only (one port per instance API and one per installed webapp), and returns handles
 * for tests and the CLI.
 */
export async function startStack(options: StartStackOptions = {}): Promise<RunningStack> {
  const temporary = !options.dataDir
  const dataDir = path.resolve(options.dataDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'mes-donnees-stack-'))))
  await fs.mkdir(dataDir, { recursive: true })
  const log = options.log ?? (() => undefined)
  const outbox = new Outbox(path.join(dataDir, 'outbox.jsonl'), options.log ? log : null)
  await outbox.load()
  const runtime = new Runtime(stackConfig(options, dataDir, log), outbox)
  const modules = [...ROUTE_MODULES, ...(options.extraModules ?? [])]
  const passphrase = options.passphrase ?? 'cozy'
  const names = await instanceNames(dataDir, options.instances)
  const servers = new StackServers(options.port ?? 0, modules)

  try {
    for (let i = 0; i < names.length; i++) {
      const instance = await Instance.open(path.join(dataDir, 'instances', names[i]), names[i], {
        passphrase,
        locale: options.locale,
        quota: options.quota
      })
      instance.runtime = runtime
      runtime.instances.push(instance)
      await servers.serveInstance(runtime, instance, i)
    }
    for (const ctx of servers.contexts) for (const mod of modules) await mod.start?.(ctx)
  } catch (err) {
    await Promise.all(servers.servers.map(s => s.close()))
    await Promise.all(runtime.instances.map(i => i.close()))
    throw err
  }

  const handles: StackInstance[] = runtime.instances.map((instance, index) => instanceHandle(instance, index, passphrase, servers))

  let stopped = false
  async function stopAll(): Promise<void> {
    if (stopped) return
    stopped = true
    for (const ctx of servers.contexts) for (const mod of modules) await mod.stop?.(ctx).catch(() => undefined)
    await Promise.all(servers.all().map(s => s.close()))
    await Promise.all(runtime.instances.map(i => i.close()))
    if (temporary) await fs.rm(dataDir, { recursive: true, force: true })
  }

  const seed = options.seedDemo
  if (seed) await orStop(stopAll, () => seedDemo(handles[0], runtime, typeof seed === 'object' ? seed : {}))
  // After the demo's app, so that the app stays the first one (the CLI's login link opens it).
  if (options.store) {
    await orStop(stopAll, async () => {
      for (const handle of handles) await handle.installApp(STORE_APP_DIR)
    })
  }

  return { instances: handles, outbox, dataDir, stop: stopAll }
}
