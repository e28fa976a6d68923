import { Command, CommanderError } from 'commander'
import { EXIT_USAGE } from './exit-codes'

type Register = (program: Command, setCode: (code: number) => void) => void

interface CommandEntry {
  name: string
  summary: string
  /** Loads the command's module only when it runs: the stand-in alone pulls in PouchDB and Express. */
  load: () => Register
}

/**
 * A plain require: under tsx's CommonJS hook a dynamic import() stays native ESM and cannot
 * load a .ts file, while require goes through the hook.
 */
function loadModule(path: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path)
}

const COMMANDS: CommandEntry[] = [
  {
    name: 'inspect',
    summary: 'Describe an ENT "Mes données" archive: export, user, apps, counts, warnings',
    load: () => (loadModule('./commands/inspect') as typeof import('./commands/inspect')).registerInspect
  },
  {
    name: 'import',
    summary: 'Import an ENT archive into a Cozy',
    load: () => (loadModule('./commands/import') as typeof import('./commands/import')).registerImport
  },
  {
    name: 'stack',
    summary: 'Run the local stand-in for cozy-stack on 127.0.0.1',
    load: () => (loadModule('./commands/stack') as typeof import('./commands/stack')).registerStack
  },
  {
    name: 'move-wizard',
    summary: 'Run the move wizard service that hosting providers deploy',
    load: () => (loadModule('./commands/move-wizard') as typeof import('./commands/move-wizard')).registerMoveWizard
  }
]

/** The subcommand a command line asks for, looking through `help NAME` too. */
function requestedCommand(args: string[]): string | undefined {
  const words = args.filter(arg => !arg.startsWith('-'))
  return words[0] === 'help' ? words[1] : words[0]
}

/**
 * Builds the `mes-donnees` program. Only the requested subcommand's module is loaded; the
 * others are listed by name and summary so that `--help` stays instant.
 */
export function buildProgram(setCode: (code: number) => void, args: string[] = []): Command {
  const program = new Command()
  program
    .name('mes-donnees')
    .description('Mes données: read ENT "Mes données" archives, import them into a Cozy, run the local stand-in for cozy-stack and the move wizard.')
    .showHelpAfterError('(run "mes-donnees --help" for the list of commands)')
    .exitOverride()
  const wanted = requestedCommand(args)
  for (const entry of COMMANDS) {
    if (entry.name === wanted) entry.load()(program, setCode)
    else program.command(entry.name).description(entry.summary)
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
  }, argv.slice(2))
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
