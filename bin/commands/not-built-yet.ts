import { Command } from 'commander'
import { EXIT_USAGE } from '../exit-codes'

/**
 * Registers a subcommand whose implementation has not landed yet: it has its help text
 * and answers with a clear message and the usage exit code instead of pretending to work.
 */
export function registerNotBuiltYet(
  program: Command,
  setCode: (code: number) => void,
  name: string,
  summary: string,
  usage: string
): void {
  program
    .command(name)
    .description(summary)
    .usage(usage)
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(() => {
      process.stderr.write(`mes-donnees ${name}: not built yet in this version of Mes données.\n`)
      setCode(EXIT_USAGE)
    })
}
