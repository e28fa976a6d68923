/** One line of the konnector stdout protocol (docs/konnectors-workflow.md): JSON per line. */
export interface LogLine {
  type: 'debug' | 'info' | 'warning' | 'error' | 'critical'
  message: string
  no_retry?: boolean
}

export function logLine(line: LogLine, write: (text: string) => void = text => process.stdout.write(text)): void {
  // The stack cuts messages at 4000 characters; cut first so the JSON stays valid.
  const message = line.message.length > 4000 ? line.message.slice(0, 3997) + '...' : line.message
  write(JSON.stringify({ ...line, message }) + '\n')
}
