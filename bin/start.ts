/* eslint-disable no-console -- this script talks to the person who ran `npm start` */
import { spawnSync } from 'child_process'
import path from 'path'
import { startStack } from '../dev-stack'

/**
 * `npm start`: builds the app and the konnector, then runs the local stand-in for cozy-stack
 * with a demo instance (the app and the konnector installed, files, contacts and the ENT
 * sample in its Drive) and prints the URL to open. Data stays in .stack-data between runs.
 */
async function start(): Promise<void> {
  const root = path.resolve(__dirname, '..')
  console.log('Building the app and the konnector (npm run build)…')
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' })
  if (build.status !== 0) process.exit(build.status ?? 1)
  const port = Number(process.env.PORT ?? 8080)
  const stack = await startStack({
    dataDir: path.join(root, '.stack-data'),
    port,
    seedDemo: true,
    log: line => console.log(line.trimEnd())
  })
  const alice = stack.instances[0]
  const appUrl = alice.appUrl('mes-donnees')
  console.log(`\nMes données runs on a local stand-in for cozy-stack (data in ${stack.dataDir}).`)
  console.log(`\n  Open ${appUrl}`)
  console.log(`  and log in with the password "${alice.passphrase}" (or open this one-time link: ${alice.loginUrl(appUrl)}).`)
  console.log(`\n  Instance: ${alice.url}   CLI token: ${alice.cliToken}`)
  console.log('\nMails the stack sends are printed here and listed at ' + `${alice.url}dev/mails. Press Ctrl+C to stop.`)
  const stop = () => {
    void stack.stop().then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

start().catch(err => {
  console.error(err)
  process.exit(1)
})
