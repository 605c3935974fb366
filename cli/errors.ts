/**
 * The command's failures (SPEC §11 exit codes). Callers branch on the class; `main` maps each to
 * its exit code and prints its message, which says what to do next.
 */

/** Base of every failure the command reports itself; `exitCode` is what the process exits with. */
export class CliError extends Error {
  readonly exitCode: 1 | 2;
  constructor(message: string, exitCode: 1 | 2, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** A missing or bad argument, option, variable or input file: exit 2. */
export class UsageError extends CliError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 2, options);
    this.name = 'UsageError';
  }
}

/** The API answered with an error status (`{ "error" }` of SPEC §3): exit 1. */
export class ApiError extends CliError {
  readonly status: number;
  constructor(status: number, message: string, options?: ErrorOptions) {
    super(message, 1, options);
    this.name = 'ApiError';
    this.status = status;
  }
}

/** The API could not be reached at all (refused, unknown host, timed out): exit 1. */
export class UnreachableError extends CliError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 1, options);
    this.name = 'UnreachableError';
  }
}

/** The work was done but not all of it succeeded (a failed job, rejected items): exit 1. */
export class FailedError extends CliError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 1, options);
    this.name = 'FailedError';
  }
}
