import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { flywheelProgram } from '../../cli/program.js';

/** Every command that runs something (not a group of subcommands), with its full name. */
function leaves(command: Command, prefix: string[] = []): [string, Command][] {
  const name = [...prefix, command.name()];
  if (command.commands.length === 0) return [[name.join(' '), command]];
  return command.commands.flatMap((sub) => leaves(sub, name));
}

function helpText(command: Command): string {
  let text = '';
  command.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
  command.outputHelp();
  return text;
}

describe('flywheel --help', () => {
  const commands = leaves(flywheelProgram());

  it('has every command of SPEC §11', () => {
    expect(commands.map(([name]) => name.replace(/^flywheel /, '')).sort()).toEqual(
      [
        'accounts list',
        'accounts show',
        'clusters unattributed',
        'config get',
        'config set',
        'map',
        'members merge',
        'members show',
        'members split',
        'program get',
        'program set',
        'recalculate',
        'report preview',
        'report send',
        'review list',
        'review recognize',
        'review reject',
        'send community',
        'send telemetry',
        'status',
        'tokens create',
        'tokens list',
        'tokens revoke',
      ].sort(),
    );
  });

  it.each(commands)('%s --help shows examples of itself', (name, command) => {
    const text = helpText(command);
    expect(text).toMatch(/Examples:\n/);
    expect(text).toContain(`$ ${name}`);
  });
});
