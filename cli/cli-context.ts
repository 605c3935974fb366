import type { Command } from 'commander';
import { ApiClient } from './api-client.js';
import { connectionFrom } from './connection.js';
import { type Progress, progressBar } from './progress.js';

/** The root command's options, which every command accepts (before or after its name). */
export interface GlobalOptions {
  readonly url?: string;
  readonly token?: string;
  readonly json?: boolean;
}

/** What a command's action works with: the API, and how to print for a person or a script. */
export interface CliContext {
  readonly client: ApiClient;
  /** `--json`: print JSON only on stdout, nothing else. */
  readonly json: boolean;
  /** Writes text to stdout as it is. */
  print(text: string): void;
  /** Writes a value as indented JSON and a newline to stdout. */
  printJson(value: unknown): void;
  /** Writes a note for the person at the terminal to stderr; silent with `--json`. */
  note(text: string): void;
  progress(label: string, total: number, unit: string): Progress;
}

/** The context of the command being run, from its options and the parents' (`optsWithGlobals`). */
export function cliContext(command: Command): CliContext {
  const options = command.optsWithGlobals<GlobalOptions>();
  const json = options.json === true;
  const client = new ApiClient(connectionFrom(options, process.env));
  const context: CliContext = {
    client,
    json,
    print: (text) => process.stdout.write(text),
    printJson: (value) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    note: (text) => {
      if (!json) process.stderr.write(`${text}\n`);
    },
    progress: (label, total, unit) => progressBar(!json, label, total, unit),
  };
  client.onRetry = (status, waitMs) =>
    context.note(`The API answered ${status}; retrying in ${(waitMs / 1000).toFixed(1)} s…`);
  return context;
}
