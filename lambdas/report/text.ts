/**
 * The plain-text part of the monthly mail (SPEC §5), laid out for a fixed-width font: the same
 * sections as the HTML, names left, numbers right-aligned, the KA trend as a row of bars.
 */
import { signedCount } from './analytics-sections.js';
import { formatCount, kaNoun, monthLabel } from './format.js';
import type { ReportModel } from './model.js';
import type { AccountLine, ContentLine, Listing, MemberLine } from './sections.js';
import { noPaceText } from './target-pace.js';

const WIDTH = 72;
const BAR_WIDTH = 40;

const heading = (text: string): string[] => ['', text.toUpperCase(), '-'.repeat(text.length)];
const subheading = (text: string): string[] => ['', text];

/** `name ........ value`, exactly `WIDTH` wide; a long name is cut, never the value. */
function line(left: string, right: string, indent = '  '): string {
  const room = WIDTH - indent.length - right.length - 3; // two spaces and at least one dot
  const name = left.length > room ? `${left.slice(0, room - 1)}…` : left;
  return `${indent}${name} ${'.'.repeat(room - name.length + 1)} ${right}`;
}

/** A paragraph broken at spaces into lines of at most `WIDTH`, each starting with `indent`. */
function wrap(text: string, indent = '  '): string[] {
  const lines: string[] = [];
  let current = indent;
  for (const word of text.split(' ')) {
    if (current.length > indent.length && current.length + 1 + word.length > WIDTH) {
      lines.push(current);
      current = indent;
    }
    current += current.length > indent.length ? ` ${word}` : word;
  }
  return [...lines, current];
}

const more = (list: Listing<unknown>, where = ''): string[] =>
  list.hidden === 0 ? [] : [`  …and ${formatCount(list.hidden)} more${where}.`];

function accounts(list: Listing<AccountLine>, empty: string): string[] {
  if (list.total === 0) return [`  ${empty}`];
  const lines = list.items.map((a) => line(a.name, `${a.nodesText} nodes`));
  return [...lines, ...more(list, ' in the attached CSV')];
}

function members(list: Listing<MemberLine>, empty: string): string[] {
  if (list.total === 0) return [`    ${empty}`];
  const lines = list.items.map((m) =>
    line(m.account === null ? m.name : `${m.name} (${m.account})`, m.progressText, '    '),
  );
  return [...lines, ...more(list)];
}

function content(list: Listing<ContentLine>, empty: string): string[] {
  if (list.total === 0) return [`  ${empty}`];
  const lines = list.items.flatMap((item) => [
    `  • ${item.title}`,
    `    ${item.kind} · ${item.authors} · ${item.date}`,
    ...(item.url === null ? [] : [`    ${item.url}`]),
  ]);
  return [...lines, ...more(list)];
}

function headline(model: ReportModel): string[] {
  const { headline: h, pace } = model;
  const paceLines =
    pace === null
      ? [`  No target pace: ${noPaceText(model.month)}`]
      : [
          `  ${pace.onTrack ? 'On track' : 'Behind pace'}: ${pace.summary}`,
          `  ${pace.targetSummary}`,
        ];
  return [
    '',
    `${h.kaCountText} key accounts in ${model.monthLabel}`,
    `  ${h.mom.text} month over month · ${h.yoy.text} year over year · ${h.ytd.text} year to date`,
    ...paceLines,
  ];
}

/** One row per month: `Mar 2026   268  ████████`, the month's pace marked with `|`. */
function trend(model: ReportModel): string[] {
  const top = Math.max(1, ...model.series.map((p) => Math.max(p.kaCount ?? 0, p.paceKa ?? 0)));
  const rows = model.series.map((point) => {
    const count = point.kaCount === null ? '—' : formatCount(point.kaCount);
    const bar = '█'.repeat(Math.round(((point.kaCount ?? 0) / top) * BAR_WIDTH));
    const paceAt = point.paceKa === null ? -1 : Math.round((point.paceKa / top) * BAR_WIDTH);
    const marked =
      paceAt < 0 ? bar : `${bar.padEnd(paceAt, ' ').slice(0, paceAt)}|${bar.slice(paceAt + 1)}`;
    return `  ${monthLabel(point.month).padEnd(15)}${count.padStart(6)}  ${marked.trimEnd()}`;
  });
  const legend = model.pace === null ? [] : ['  (| marks the target pace)'];
  return [...heading(`Key accounts, last ${model.series.length} months`), ...rows, ...legend];
}

function movements(model: ReportModel): string[] {
  const { movements: mv } = model;
  return [
    ...heading('Movements'),
    `  ${kaNoun(mv.retainedCount)} retained from the month before.`,
    `  KA quick ratio ${model.kaQuickRatio.text} ((new + reactivated) / churned).`,
    ...subheading(`New (${mv.new.total})`),
    ...accounts(mv.new, 'No new key accounts this month.'),
    ...subheading(`Reactivated (${mv.reactivated.total})`),
    ...accounts(mv.reactivated, 'No key account came back this month.'),
    ...subheading(`Churned (${mv.churned.total})`),
    ...accounts(mv.churned, 'No key account dropped out this month.'),
  ];
}

function forecast(model: ReportModel): string[] {
  const { forecast: f } = model;
  if (f === null) return [];
  return [
    ...heading('Year-end forecast'),
    ...wrap(f.summary),
    ...(f.required === null ? [] : wrap(f.required)),
    ...(f.closed ? [] : wrap(`Method: ${f.method}.`)),
  ];
}

function nodeBridge(model: ReportModel): string[] {
  const { bridge } = model;
  if (bridge === null) {
    return [...heading('Node bridge'), '  Computed before bridges were kept: recalculate it.'];
  }
  return [
    ...heading('Node bridge'),
    `  ${bridge.summary}:`,
    ...bridge.steps.map((step) => line(step.label, `${signedCount(step)} nodes`)),
    ...wrap(
      `Node quick ratio ${bridge.nodeQuickRatio.text} ((new + reactivated + expansion) / (contraction + churn)).`,
    ),
  ];
}

function flywheelMeasured(model: ReportModel): string[] {
  const { communitySourced: sourced, alerts } = model;
  return [
    ...subheading(`Community-sourced new key accounts (${sourced.shareText})`),
    ...wrap(sourced.summary),
    ...(sourced.accounts.total > 0 ? accounts(sourced.accounts, '') : []),
    ...subheading(`Champion-loss alerts (${alerts.total})`),
    ...(alerts.total === 0
      ? ['  No key account lost its last champion this month.']
      : [
          ...alerts.items.flatMap((alert) => [
            `  ${alert.name}: no champion left`,
            ...wrap(alert.lost, '    '),
          ]),
          ...more(alerts),
        ]),
  ];
}

/** SPEC §9: only when a recalculation changed a month already mailed, as in the HTML. */
function corrections(model: ReportModel): string[] {
  const list = model.corrections;
  if (list.total === 0) return [];
  return [
    ...heading('Corrections since the last report'),
    ...wrap('Recalculations changed these figures of months already mailed (as mailed -> now).'),
    ...list.items.map((c) => line(`${c.what}, ${c.monthText}`, `${c.before} -> ${c.after}`)),
    ...more(list, ' at GET /admin/changes'),
  ];
}

function pipelineAndNodes(model: ReportModel): string[] {
  const { nodes } = model;
  return [
    ...heading(`Near-KA pipeline (${model.nearKa.total}), closest first`),
    ...accounts(model.nearKa, 'No account is close to becoming a key account.'),
    ...heading('Nodes'),
    line('Production nodes', nodes.productionText),
    line(`Unattributed nodes (${nodes.unattributedShareText})`, nodes.unattributedText),
  ];
}

function evangelists(model: ReportModel): string[] {
  return [
    ...heading('Evangelists'),
    ...model.tiers.flatMap((tier) => [
      ...subheading(`${tier.name} (reached at ${tier.minCount} a year)`),
      '  Newly reached this month:',
      ...members(tier.newlyReached, 'Nobody new.'),
      '  One step away:',
      ...members(tier.oneStepAway, 'Nobody yet.'),
    ]),
  ];
}

function community(model: ReportModel): string[] {
  const { talks, recognised } = model.content;
  const { championCoverage: coverage } = model;
  const share =
    coverage.kasWithChampion === null
      ? '  No key accounts this month, so no coverage.'
      : `  ${coverage.text} of key accounts have an active community champion (${formatCount(coverage.kasWithChampion)} of ${model.headline.kaCountText}).`;
  return [
    ...heading(`Talks (${talks.total})`),
    ...content(talks, 'No talks this month.'),
    ...heading(`Recognised content (${recognised.total})`),
    ...content(recognised, 'No content was recognised this month.'),
    ...heading('The flywheel: champion coverage'),
    share,
  ];
}

function freshness(model: ReportModel): string[] {
  const { freshness: f } = model;
  return [
    '',
    '-'.repeat(WIDTH),
    ...(f.telemetryStale
      ? [`Telemetry may be incomplete: the last snapshot arrived ${f.lastTelemetryText}.`]
      : []),
    `Figures computed ${f.computedAtText}; last telemetry ${f.lastTelemetryText};`,
    `report generated ${f.generatedAtText}.`,
    ...(f.recalculatedMonths.length === 0
      ? []
      : [
          `Recalculated since the last report: ${f.recalculatedMonths.join(', ')}.`,
          'Their figures may differ from earlier reports.',
        ]),
    ...wrap(model.rejections.text, ''),
    "The month's full account list is attached as CSV. Sent by Flywheel.",
  ];
}

/** The plain-text mail: every section of the HTML, in the same order. */
export function reportText(model: ReportModel): string {
  const title = model.subject;
  return [
    title,
    '='.repeat(title.length),
    ...headline(model),
    ...forecast(model),
    ...trend(model),
    ...movements(model),
    ...nodeBridge(model),
    ...pipelineAndNodes(model),
    ...evangelists(model),
    ...community(model),
    ...flywheelMeasured(model),
    ...corrections(model),
    ...freshness(model),
    '',
  ].join('\n');
}
