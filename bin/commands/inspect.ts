import { Command } from 'commander'
import { registerNotBuiltYet } from './not-built-yet'

export function registerInspect(program: Command, setCode: (code: number) => void): void {
  registerNotBuiltYet(program, setCode, 'inspect', 'Describe an ENT "Mes données" archive: export, user, apps, counts, warnings', 'ARCHIVE [--json]')
}
