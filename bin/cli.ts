import { Command, CommanderError } from 'commander'
import { EXIT_USAGE } from './exit-codes'
import { registerInspect } from './commands/inspect'
import { registerImport } from './commands/import'
import { registerStack } from './commands/stack'
import { registerMoveWizard } from './commands/move-wizard'

export type CommandResult = { code: number }

/** Builds the `mes-donnees` program; each subcommand lives in its own module under commands/. */
export function buildProgram(setCode: (code: number) => void): Command {
  const program = new Command()
  program
    .name('mes-donnees')
    .description('Mes données: read ENT "Mes données" archives, import them into a Cozy, run the local stand-in for cozy-stack and the move wizard.')
    .showHelpAfterError('(run "mes-donnees --help" for the list of commands)')
    .exitOverride()
  for (const register of [registerInspect, registerImport, registerStack, registerMoveWizard]) {
    register(program, setCode)
  }
  program.on('command:*', (operands: string[]) => {
    throw new CommanderError(EXIT_USAGE, 'mes-donnees.unknownCommand', `mes-donnees: unknown command "${operands[0]}"`)
  })
  return program
}

/** Runs the command line and resolves with the process exit code (never throws for usage errors). */
export async function main(argv: string[]): Promise<number> {
  let code = 0
  const program = buildProgram(c => {
    code = c
  })
  program.configureOutput({
    writeErr: text => process.stderr.write(text)
  })
  try {
    await program.parseAsync(argv)
    return code
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return 0
      if (err.code === 'mes-donnees.unknownCommand') process.stderr.write(`${err.message}\n`)
      return EXIT_USAGE
    }
    throw err
  }
}
