import path from 'path'
import { Command, InvalidArgumentError } from 'commander'
import { EXIT_FAILURE, EXIT_USAGE } from '../exit-codes'
import { startStack, type RunningStack } from '../../dev-stack'
import { REPO_ROOT } from '../../dev-stack/seed/demo'

function parsePort(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port number between 0 and 65535')
  return n
}

function parseSeconds(value: string): number {
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('a number of seconds')
  return n
}

function parseMilliseconds(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 10_000) throw new InvalidArgumentError('a number of milliseconds between 0 and 10000')
  return n
}

function parseCount(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > 20) throw new InvalidArgumentError('a number of instances between 1 and 20')
  return n
}

interface StackOptions {
  port: number
  data: string
  instances: number
  seedDemo?: boolean
  json?: boolean
  konnectorTimeLimit?: number
  requestLatency?: number
  moveWizardUrl?: string
  store?: boolean
}

/** What `stack` prints for each instance (also the shape of the --json line). */
export function describeStack(stack: RunningStack): { instances: { name: string; url: string; domain: string; cliToken: string; passphrase: string; apps: Record<string, string> }[]; dataDir: string } {
  return {
    dataDir: stack.dataDir,
    instances: stack.instances.map(i => ({
      name: i.name,
      url: i.url,
      domain: i.domain,
      cliToken: i.cliToken,
      passphrase: i.passphrase,
      apps: Object.fromEntries(Object.keys(i.instance.state.apps).map(slug => [slug, i.appUrl(slug)]))
    }))
  }
}

/**
 * `mes-donnees stack`: runs the local stand-in for cozy-stack on 127.0.0.1 until Ctrl+C, and
 * prints each instance's URL and CLI token (one JSON line with --json).
 */
export function registerStack(program: Command, setCode: (code: number) => void): void {
  program
    .command('stack')
    .description('Run the local stand-in for cozy-stack on 127.0.0.1')
    .option('--port <port>', 'port of the first instance (the next ones and the apps follow)', parsePort, 8080)
    .option('--data <dir>', 'where the instances are stored (survives restarts)', '.stack-data')
    .option('--instances <n>', 'number of instances', parseCount, 1)
    .option('--seed-demo', 'install the app and the konnector, add files, contacts and the ENT sample')
    .option('--store', "install the Store, which installs the ENT konnector from build/ through its INSTALL intent")
    .option('--konnector-time-limit <seconds>', 'time limit of konnector jobs in seconds (default 300)', parseSeconds)
    .option('--request-latency <ms>', "delay before every request is handled, as a remote stack's network adds (benchmarks)", parseMilliseconds)
    .option('--move-wizard-url <url>', "the move wizard's URL (the stack's move.url)")
    .option('--json', 'print the instances as one JSON line')
    .action(async (opts: StackOptions) => {
      let stack: RunningStack
      try {
        stack = await startStack({
          dataDir: path.resolve(opts.data),
          port: opts.port,
          instances: opts.instances,
          seedDemo: Boolean(opts.seedDemo),
          konnectorTimeLimitSeconds: opts.konnectorTimeLimit,
          requestLatencyMs: opts.requestLatency,
          moveWizardUrl: opts.moveWizardUrl,
          store: Boolean(opts.store),
          registry: { 'ent-import': path.join(REPO_ROOT, 'build', 'konnectors', 'ent-import') },
          log: line => process.stderr.write(line.endsWith('\n') ? line : line + '\n')
        })
      } catch (err) {
        const e = err as NodeJS.ErrnoException
        process.stderr.write(`mes-donnees stack: ${e.code === 'EADDRINUSE' ? `port already in use (${e.message}); try --port` : e.message}\n`)
        setCode(e.code === 'EADDRINUSE' ? EXIT_USAGE : EXIT_FAILURE)
        return
      }
      const description = describeStack(stack)
      if (opts.json) {
        process.stdout.write(JSON.stringify(description) + '\n')
      } else {
        process.stdout.write(`Local stand-in for cozy-stack, data in ${description.dataDir}\n`)
        description.instances.forEach((i, index) => {
          process.stdout.write(`\n${i.name}: ${i.url}  (password: ${i.passphrase})\n`)
          for (const [slug, url] of Object.entries(i.apps)) process.stdout.write(`  app ${slug}: ${url}\n`)
          const first = Object.values(i.apps)[0]
          process.stdout.write(`  one-time login link: ${stack.instances[index].loginUrl(first)}\n`)
          process.stdout.write(`  CLI token: ${i.cliToken}\n`)
        })
        process.stdout.write('\nMails are printed here and listed at <instance>/dev/mails. Press Ctrl+C to stop.\n')
      }
      const shutdown = () => {
        void stack.stop().then(() => process.exit(0))
      }
      process.once('SIGINT', shutdown)
      process.once('SIGTERM', shutdown)
    })
}
