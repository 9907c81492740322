// Argument parsing shared by every command: node:util parseArgs, with every mistake
// turned into a UsageError (exit 2, one line naming the flag at fault).
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Bad usage or bad configuration: the CLI prints the message and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Options every engine command (tui, daemon) takes. */
export const engineOptions = {
  config: { type: 'string' },
  'data-dir': { type: 'string' },
  listen: { type: 'string' },
  'jira-url': { type: 'string' },
  demo: { type: 'boolean' },
  'allow-unauthenticated-remote': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** Parses one command's arguments strictly; unknown flags and stray words are UsageErrors. */
export function parseCommandArgs<O extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  args: string[],
  options: O,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    const text = (error as Error).message;
    // "Option '--limit' argument is ambiguous" means the value began with '-' (e.g. -1).
    const ambiguous = /^Option '(--[\w-]+)[^']*' argument is ambiguous/.exec(text);
    const message = ambiguous
      ? `${ambiguous[1]} needs a value; one that begins with '-' is written ${ambiguous[1]}=VALUE`
      : text.split('\n')[0].replace(/\. To specify a positional argument.*$/, '');
    throw new UsageError(`jiraline ${command}: ${message} (see jiraline --help)`);
  }
}
