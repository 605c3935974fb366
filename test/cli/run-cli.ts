import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `node bin/flywheel.mjs …` as a user would, in a child process with its own environment:
 * the test's `FLYWHEEL_*` variables (the local system sets some for its handlers) are dropped, so
 * each run sees exactly `env`. Asynchronous, because the API it calls runs in this process.
 */
export function runCli(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
  input?: string,
): Promise<CliRun> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('FLYWHEEL_')),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/flywheel.mjs', ...args], {
      cwd: root,
      env: { ...inherited, NO_COLOR: '1', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** `runCli` bound to one API and token, for a test file's system. */
export const cliFor =
  (base: () => Readonly<Record<string, string>>) =>
  (args: readonly string[], env: Readonly<Record<string, string>> = {}, input?: string) =>
    runCli(args, { ...base(), ...env }, input);
