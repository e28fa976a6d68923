import { Command } from 'commander'
import { registerNotBuiltYet } from './not-built-yet'

export function registerStack(program: Command, setCode: (code: number) => void): void {
  registerNotBuiltYet(program, setCode, 'stack', 'Run the local stand-in for cozy-stack on 127.0.0.1', '[--port 8080] [--data DIR] [--instances N] [--seed-demo] [--json]')
}
