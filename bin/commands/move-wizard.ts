import { Command } from 'commander'
import { EXIT_FAILURE, EXIT_USAGE } from '../exit-codes'
import { ConfigError, loadConfig } from '../../move-wizard/config'
import { startWizard } from '../../move-wizard/server'

interface MoveWizardOptions {
  port: string
  host: string
  dev?: boolean
}

/**
 * `mes-donnees move-wizard`: runs the move wizard service. Everything else is configured by
 * environment variables (README, "Move wizard for hosting providers"); the process runs until
 * it gets SIGINT or SIGTERM.
 */
export function registerMoveWizard(program: Command, setCode: (code: number) => void): void {
  program
    .command('move-wizard')
    .description('Run the move wizard service that hosting providers deploy (configured by MOVE_WIZARD_* variables)')
    .option('--port <port>', 'port to listen on', '8090')
    .option('--host <host>', 'address to listen on (put a reverse proxy with https in front)', '127.0.0.1')
    .option('--dev', 'development mode: http allowed, for localhost and 127.0.0.1 only (same as MOVE_WIZARD_DEV=1)')
    .action(async (options: MoveWizardOptions) => {
      const port = Number(options.port)
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        process.stderr.write(`mes-donnees move-wizard: --port must be a port number, got "${options.port}"\n`)
        setCode(EXIT_USAGE)
        return
      }
      let config
      try {
        config = loadConfig(process.env, { port, dev: options.dev ? true : undefined })
      } catch (err) {
        if (err instanceof ConfigError) {
          process.stderr.write(`mes-donnees move-wizard: ${err.message}\n`)
          setCode(EXIT_USAGE)
          return
        }
        throw err
      }
      let wizard
      try {
        wizard = await startWizard(config, port, options.host, { publicUrlFromPort: config.dev && !process.env.MOVE_WIZARD_PUBLIC_URL })
      } catch (err) {
        process.stderr.write(`mes-donnees move-wizard: cannot listen on ${options.host}:${port}: ${(err as Error).message}\n`)
        setCode(EXIT_FAILURE)
        return
      }
      process.stdout.write(`Move wizard listening on ${wizard.url} (public address ${config.publicUrl.href}${config.dev ? ', dev mode' : ''})\n`)
      await new Promise<void>(resolve => {
        const stop = (): void => {
          process.off('SIGINT', stop)
          process.off('SIGTERM', stop)
          void wizard.close().then(resolve)
        }
        process.on('SIGINT', stop)
        process.on('SIGTERM', stop)
      })
    })
}
