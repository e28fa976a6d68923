/* eslint-disable no-console -- this script talks to the person who ran `npm start` */
import { spawnSync } from 'child_process'
import path from 'path'
import { startShellServer } from '../dev-stack/shell-server'

async function start(): Promise<void> {
  const root = path.resolve(__dirname, '..')
  console.log('Building the app (npm run build)…')
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' })
  if (build.status !== 0) process.exit(build.status ?? 1)
  const port = Number(process.env.PORT ?? 8080)
  const server = await startShellServer({ appDir: path.join(root, 'build/app'), port })
  console.log(`\nMes données is served at ${server.url} (French) and ${server.url}?locale=en (English).`)
  console.log('Not there yet: the local stand-in for cozy-stack. The pages show what they will do,')
  console.log('but nothing talks to a Cozy. Press Ctrl+C to stop.')
}

start().catch(err => {
  console.error(err)
  process.exit(1)
})
