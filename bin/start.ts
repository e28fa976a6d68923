/* eslint-disable no-console -- this script talks to the person who ran `npm start` */
import { spawnSync } from 'child_process'
import crypto from 'crypto'
import path from 'path'
import { startStack } from '../dev-stack'
import { loadConfig } from '../move-wizard/config'
import { startWizard } from '../move-wizard/server'

/** Where the move wizard listens beside the stand-in: above the ports its instances and apps take. */
const WIZARD_PORT_OFFSET = 100

/**
 * `npm start`: builds the app and the konnector, then runs the local stand-in for cozy-stack
 * with a demo instance (the app and the konnector installed, files, contacts and the ENT
 * sample in its Drive) and, as its `move.url`, the move wizard in development mode; prints the
 * URLs to open. Data stays in .stack-data between runs (STACK_DATA_DIR moves it); PORT moves
 * every port (0: any free ones); NO_BUILD=1 uses the build already made.
 */
async function start(): Promise<void> {
  const root = path.resolve(__dirname, '..')
  if (process.env.NO_BUILD !== '1') {
    console.log('Building the app and the konnector (npm run build)…')
    const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' })
    if (build.status !== 0) process.exit(build.status ?? 1)
  }
  const port = Number(process.env.PORT ?? 8080)
  const wizardPort = port === 0 ? 0 : port + WIZARD_PORT_OFFSET
  // A development wizard: http, for 127.0.0.1 and localhost only; its secret lives as long as the process.
  const wizardConfig = loadConfig({ ...process.env, MOVE_WIZARD_SECRET: process.env.MOVE_WIZARD_SECRET ?? crypto.randomBytes(32).toString('hex') }, { port: wizardPort, dev: true })
  const wizard = await startWizard(wizardConfig, wizardPort, '127.0.0.1', { publicUrlFromPort: !process.env.MOVE_WIZARD_PUBLIC_URL })
  const stack = await startStack({
    dataDir: process.env.STACK_DATA_DIR ?? path.join(root, '.stack-data'),
    port,
    seedDemo: true,
    moveWizardUrl: wizardConfig.publicUrl.href,
    log: line => console.log(line.trimEnd())
  })
  const alice = stack.instances[0]
  const appUrl = alice.appUrl('mes-donnees')
  console.log(`\nMes données runs on a local stand-in for cozy-stack (data in ${stack.dataDir}).`)
  console.log(`\n  Open ${appUrl}`)
  console.log(`  and log in with the password "${alice.passphrase}" (or open this one-time link: ${alice.loginUrl(appUrl)}).`)
  console.log(`\n  Instance: ${alice.url}   CLI token: ${alice.cliToken}`)
  console.log(`  Move wizard: ${wizardConfig.publicUrl.href} (development mode)`)
  console.log('\nMails the stack sends are printed here and listed at ' + `${alice.url}dev/mails. Press Ctrl+C to stop.`)
  const stop = () => {
    void Promise.all([stack.stop(), wizard.close()]).then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

start().catch(err => {
  console.error(err)
  process.exit(1)
})
