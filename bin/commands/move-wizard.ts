import { Command } from 'commander'
import { registerNotBuiltYet } from './not-built-yet'

export function registerMoveWizard(program: Command, setCode: (code: number) => void): void {
  registerNotBuiltYet(program, setCode, 'move-wizard', 'Run the move wizard service that hosting providers deploy', '[--port 8090]')
}
