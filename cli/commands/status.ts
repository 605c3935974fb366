import type { Command } from 'commander';
import { cliContext } from '../cli-context.js';
import { withExamples } from '../help-examples.js';
import { formatFields } from '../table.js';

interface KaRow {
  readonly month: string;
  readonly kaCount: number;
  readonly [field: string]: unknown;
}

/**
 * `flywheel status`: the API's health (`GET /health`, no token) and the latest computed month of
 * `GET /metrics/ka` (SPEC §3), so one command says whether the system is up and what it reports.
 */
export function registerStatus(program: Command): void {
  const command = program
    .command('status')
    .description('Show whether the API is up and the latest computed month of KA metrics')
    .action(async (_options, self: Command) => {
      const context = cliContext(self);
      const health = await context.client.json('GET', '/health', { auth: false });
      const { months } = await context.client.json<{ months: KaRow[] }>('GET', '/metrics/ka');
      const latest = months.at(-1) ?? null;
      if (context.json)
        return context.printJson({ url: context.client.connection.url, health, latest });
      context.print(
        formatFields([
          ['API', `${context.client.connection.url} (up)`],
          ['Computed months', months.length],
          ...(latest ? latestFields(latest) : [['Latest month', 'none computed yet'] as const]),
        ]),
      );
    });
  withExamples(command, [
    'flywheel status',
    'FLYWHEEL_URL=https://api.example.com FLYWHEEL_TOKEN=fwt_… flywheel status --json',
  ]);
}

function latestFields(row: KaRow): (readonly [string, unknown])[] {
  const multiple = (value: unknown) => (typeof value === 'number' ? `×${value.toFixed(2)}` : value);
  return [
    ['Latest month', row.month],
    ['Key accounts', row.kaCount],
    [
      'New / reactivated / retained / churned',
      [row.new, row.reactivated, row.retained, row.churned].join(' / '),
    ],
    ['Near-KA', row.nearKaCount],
    ['Production nodes', row.productionNodes],
    ['Unattributed nodes', row.unattributedNodes],
    [
      'MoM / YoY / YTD',
      [row.momMultiple, row.yoyMultiple, row.ytdMultiple]
        .map(multiple)
        .map((v) => v ?? '-')
        .join(' / '),
    ],
    [
      'Target KA (on track)',
      `${row.targetKa ?? '-'} (${row.onTrack === null || row.onTrack === undefined ? '-' : row.onTrack ? 'yes' : 'no'})`,
    ],
    [
      'Champion coverage',
      typeof row.championCoverage === 'number'
        ? `${Math.round(row.championCoverage * 100)}%`
        : null,
    ],
    ['Computed at', row.computedAt],
  ];
}
