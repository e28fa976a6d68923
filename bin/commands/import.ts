import { Command } from 'commander'
import { registerNotBuiltYet } from './not-built-yet'

export function registerImport(program: Command, setCode: (code: number) => void): void {
  registerNotBuiltYet(program, setCode, 'import', 'Import an ENT archive into a Cozy', '(ARCHIVE | --file-id ID) --cozy URL --token TOKEN [--only app,…] [--into PATH] [--dry-run] [--json]')
}
