/** One `gazette <name>` sub-command. */
export interface Command {
  name: string;
  /** One line for `gazette help`. */
  summary: string;
  usage: string;
  /** Runs the command; resolves to the process exit code. */
  run(argv: string[]): Promise<number>;
}

/** A usage mistake: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
