import { type Command, Option } from 'commander';
import { expiresArgument, integerArgument, roles } from '../arguments.js';
import { cliContext } from '../cli-context.js';
import { withExamples } from '../help-examples.js';
import { collectList } from '../list-pages.js';
import { formatFields } from '../table.js';
import { printList } from './list-output.js';

interface TokenRow {
  readonly tokenId: string;
  readonly name: string;
  readonly role: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

/** `flywheel tokens create|list|revoke` (SPEC §8 personal tokens; admin only). */
export function registerTokens(program: Command): void {
  const tokens = program.command('tokens').description('Personal API tokens (admins)');
  withExamples(
    tokens
      .command('create')
      .description('Create a personal token; it is printed this once, only its hash is stored')
      .argument('<name>', 'unique for good, e.g. grafana or ada')
      .addOption(new Option('--role <role>', 'what it may do').choices(roles).makeOptionMandatory())
      .option(
        '--expires <when>',
        'a span (90d, 12h), a date (2027-06-30) or an instant',
        expiresArgument,
      )
      .action(async (name: string, options: { role: string; expires?: string }, self: Command) => {
        const context = cliContext(self);
        const created = await context.client.json<TokenRow & { token: string }>(
          'POST',
          '/admin/tokens',
          {
            body: {
              name,
              role: options.role,
              ...(options.expires ? { expiresAt: options.expires } : {}),
            },
          },
        );
        if (context.json) return context.printJson(created);
        context.print(
          formatFields([
            ['Token', created.token],
            ['Id', created.tokenId],
            ['Name', created.name],
            ['Role', created.role],
            ['Expires', created.expiresAt ?? 'never'],
          ]),
        );
        context.note('The token is shown this once: keep it now (e.g. export FLYWHEEL_TOKEN=…).');
      }),
    [
      'flywheel tokens create grafana --role viewer --expires 90d',
      'flywheel tokens create ada --role reviewer --expires 2027-06-30',
    ],
  );
  withExamples(
    tokens
      .command('list')
      .description('List tokens (never the tokens themselves)')
      .option('--limit <n>', 'print at most n (default: all, page by page)', integerArgument(1))
      .action(async (options: { limit?: number }, self: Command) => {
        const context = cliContext(self);
        const list = await collectList<TokenRow>(
          context.client,
          '/admin/tokens',
          'tokens',
          {},
          options.limit,
        );
        printList(context, 'tokens', list, [
          { header: 'ID', value: (t) => t.tokenId },
          { header: 'NAME', value: (t) => t.name },
          { header: 'ROLE', value: (t) => t.role },
          { header: 'CREATED', value: (t) => t.createdAt },
          { header: 'EXPIRES', value: (t) => t.expiresAt },
          { header: 'LAST USED', value: (t) => t.lastUsedAt },
          { header: 'REVOKED', value: (t) => t.revokedAt },
        ]);
      }),
    ['flywheel tokens list', 'flywheel tokens list --json'],
  );
  withExamples(
    tokens
      .command('revoke')
      .description('Revoke a token: it and its console sessions are refused from now on')
      .argument('<tokenId>', 'tok_… as tokens list shows it')
      .action(async (tokenId: string, _options, self: Command) => {
        const context = cliContext(self);
        await context.client.request('DELETE', `/admin/tokens/${encodeURIComponent(tokenId)}`);
        if (context.json) return context.printJson({ tokenId, revoked: true });
        context.print(`Revoked ${tokenId}\n`);
      }),
    ['flywheel tokens revoke tok_…'],
  );
}
