import type { Command } from 'commander';
import { integerArgument, monthArgument, statusListArgument } from '../arguments.js';
import { cliContext } from '../cli-context.js';
import { withExamples } from '../help-examples.js';
import { collectList } from '../list-pages.js';
import { formatFields, formatTable } from '../table.js';
import { printList } from './list-output.js';

interface AccountRow {
  readonly accountId: string;
  readonly name: string | null;
  readonly productionNodes: number;
  readonly status: string;
  readonly clusters: number;
  readonly champions: number;
  readonly firstKaMonth: string | null;
}

interface AccountDetail {
  readonly accountId: string;
  readonly name: string | null;
  readonly domains: string[];
  readonly aliases: string[];
  readonly months: { month: string; productionNodes: number; status: string }[];
  readonly clusters: Record<string, unknown>[];
  readonly members: Record<string, unknown>[];
}

interface ClusterRow {
  readonly clusterId: string;
  readonly environment: string;
  readonly nodes: number;
  readonly reportedAt: string;
  readonly namedAccountId: string | null;
}

const limitOption = ['--limit <n>', 'print at most n (default: all, page by page)'] as const;

/** `flywheel accounts list|show` (SPEC §7 `GET /accounts`, `GET /accounts/{accountId}`). */
export function registerAccounts(program: Command): void {
  const accounts = program.command('accounts').description('List accounts or show one');
  withExamples(
    accounts
      .command('list')
      .description('List accounts of a computed month, most production nodes first')
      .option('--month <month>', 'a computed month YYYY-MM (default: the latest)', monthArgument)
      .option(
        '--status <statuses>',
        'comma list of new, reactivated, retained, churned, near, other',
        statusListArgument,
      )
      .option('--q <text>', 'only ids or names containing this text')
      .option(...limitOption, integerArgument(1))
      .action(
        async (
          options: { month?: string; status?: string; q?: string; limit?: number },
          self: Command,
        ) => {
          const context = cliContext(self);
          const { month, status, q, limit } = options;
          const list = await collectList<AccountRow>(
            context.client,
            '/accounts',
            'accounts',
            { month, status, q },
            limit,
          );
          if (!context.json && typeof list.page.month === 'string')
            context.print(`Month ${list.page.month}\n`);
          printList(context, 'accounts', list, [
            { header: 'ACCOUNT', value: (a) => a.accountId },
            { header: 'NAME', value: (a) => a.name },
            { header: 'NODES', value: (a) => a.productionNodes },
            { header: 'STATUS', value: (a) => a.status },
            { header: 'CLUSTERS', value: (a) => a.clusters },
            { header: 'CHAMPIONS', value: (a) => a.champions },
            { header: 'FIRST KA', value: (a) => a.firstKaMonth },
          ]);
        },
      ),
    [
      'flywheel accounts list',
      'flywheel accounts list --month 2026-10 --status new,reactivated',
      'flywheel accounts list --q acme --limit 20 --json',
    ],
  );
  withExamples(
    accounts
      .command('show')
      .description("Show an account's months, clusters and members")
      .argument('<accountId>', 'e.g. acme (an alias shows its canonical account)')
      .action(async (accountId: string, _options, self: Command) => {
        const context = cliContext(self);
        const account = await context.client.json<AccountDetail>(
          'GET',
          `/accounts/${encodeURIComponent(accountId)}`,
        );
        if (context.json) return context.printJson(account);
        context.print(
          formatFields([
            ['Account', account.accountId],
            ['Name', account.name],
            ['Domains', account.domains],
            ['Aliases', account.aliases],
          ]),
        );
        context.print('\nMonths\n');
        context.print(
          formatTable(account.months, [
            { header: 'MONTH', value: (m) => m.month },
            { header: 'NODES', value: (m) => m.productionNodes },
            { header: 'STATUS', value: (m) => m.status },
          ]),
        );
        context.print('\nClusters\n');
        context.print(
          formatTable(account.clusters, [
            { header: 'CLUSTER', value: (c) => c.clusterId },
            { header: 'SOURCE', value: (c) => c.source },
            { header: 'ENVIRONMENT', value: (c) => c.environment },
            { header: 'NODES', value: (c) => c.nodes },
            { header: 'REPORTED AT', value: (c) => c.reportedAt },
          ]),
        );
        context.print('\nMembers\n');
        context.print(
          formatTable(account.members, [
            { header: 'MEMBER', value: (m) => m.memberId },
            { header: 'NAME', value: (m) => m.name },
            { header: 'LAST ACTIVITY', value: (m) => m.lastActivityAt },
            { header: 'CHAMPION', value: (m) => m.champion },
          ]),
        );
      }),
    ['flywheel accounts show acme', 'flywheel accounts show acme --json'],
  );
}

/** `flywheel clusters unattributed` (SPEC §7 `GET /clusters?attributed=false`). */
export function registerClusters(program: Command): void {
  const clusters = program.command('clusters').description('Clusters and their attribution');
  withExamples(
    clusters
      .command('unattributed')
      .description(
        'List the clusters no account owns in a month: the to-do list behind unattributedNodes',
      )
      .option('--month <month>', 'YYYY-MM (default: the latest month with data)', monthArgument)
      .option(...limitOption, integerArgument(1))
      .action(async (options: { month?: string; limit?: number }, self: Command) => {
        const context = cliContext(self);
        const query = { month: options.month, attributed: 'false' };
        const list = await collectList<ClusterRow>(
          context.client,
          '/clusters',
          'clusters',
          query,
          options.limit,
        );
        if (!context.json && typeof list.page.month === 'string')
          context.print(`Month ${list.page.month}\n`);
        printList(context, 'clusters', list, [
          { header: 'CLUSTER', value: (c) => c.clusterId },
          { header: 'ENVIRONMENT', value: (c) => c.environment },
          { header: 'NODES', value: (c) => c.nodes },
          { header: 'REPORTED AT', value: (c) => c.reportedAt },
          { header: 'NAMED ACCOUNT', value: (c) => c.namedAccountId },
        ]);
        if (!context.json && list.items.length > 0)
          context.note('Map one with: flywheel map <cluster> <account>');
      }),
    ['flywheel clusters unattributed', 'flywheel clusters unattributed --month 2026-10 --json'],
  );
}

/** `flywheel map <cluster> <account>` (SPEC §3 `PUT /admin/clusters/{clusterId}`). */
export function registerMap(program: Command): void {
  withExamples(
    program
      .command('map')
      .description(
        'Attribute a cluster to an account (an admin mapping overrides what its snapshots say)',
      )
      .argument('<cluster>', 'the cluster id')
      .argument('<account>', 'the account id')
      .action(async (cluster: string, account: string, _options, self: Command) => {
        const context = cliContext(self);
        const saved = await context.client.json(
          'PUT',
          `/admin/clusters/${encodeURIComponent(cluster)}`,
          {
            body: { accountId: account },
          },
        );
        if (context.json)
          return context.printJson(saved ?? { clusterId: cluster, accountId: account });
        context.print(`Mapped cluster ${cluster} to account ${account}\n`);
        context.note('Computed months change when they are recalculated: flywheel recalculate');
      }),
    ['flywheel map c-7f3a acme'],
  );
}
