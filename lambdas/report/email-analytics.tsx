/**
 * The mail's growth analytics (SPEC §5, §10): the year-end forecast under the pace, the node bridge
 * after the movements, and the flywheel measured — community-sourced KAs and champion losses.
 */
import { Heading, Section, Text } from '@react-email/components';
import { signedCount } from './analytics-sections.js';
import { chartImages } from './chart-options.js';
import { AccountList, AlertList, CorrectionList } from './email-lists.js';
import { Chart } from './email-sections.js';
import { badge, styles } from './email-styles.js';
import type { ReportModel } from './model.js';

type Props = { model: ReportModel };

/** December against the target: where the recent pace leads, and what the target needs. */
export function Forecast({ model }: Props) {
  const { forecast } = model;
  if (forecast === null) return null;
  const { reachable } = forecast.forecast;
  return (
    <Section style={styles.section}>
      <Heading as="h2" style={styles.h2}>
        Year-end forecast
      </Heading>
      <Text style={styles.p}>
        {reachable === null || forecast.closed ? null : (
          <span style={badge(reachable ? 'good' : 'bad')}>
            {reachable ? 'Target in reach' : 'Target out of reach'}
          </span>
        )}
        {forecast.summary}
      </Text>
      {forecast.required ? <Text style={styles.p}>{forecast.required}</Text> : null}
      {forecast.closed ? null : <Text style={styles.note}>Method: {forecast.method}.</Text>}
    </Section>
  );
}

/** The KAs' production nodes from last month to this one, as a waterfall. */
export function NodeBridge({ model }: Props) {
  const { bridge } = model;
  if (bridge === null) {
    return (
      <Section style={styles.section}>
        <Heading as="h2" style={styles.h2}>
          Node bridge
        </Heading>
        <Text style={styles.note}>
          This month was computed before bridges were kept: recalculate it to see one.
        </Text>
      </Section>
    );
  }
  const alt = `Waterfall chart of key accounts' production nodes: ${bridge.steps
    .map((step) => `${step.label} ${signedCount(step)}`)
    .join(', ')}.`;
  return (
    <Section style={styles.section}>
      <Heading as="h2" style={styles.h2}>
        Node bridge
      </Heading>
      <Text style={styles.p}>{bridge.summary}.</Text>
      <Chart image={chartImages.bridge} alt={alt} />
      <Text style={styles.p}>
        Node quick ratio <strong>{bridge.nodeQuickRatio.text}</strong>
        <span style={styles.secondary}>
          {' '}
          — (new + reactivated + expansion) ÷ (contraction + churn)
        </span>
      </Text>
    </Section>
  );
}

/** SPEC §10 "the flywheel measured": community-sourced new KAs and champion-loss alerts. */
export function FlywheelMeasured({ model }: Props) {
  const { communitySourced, alerts } = model;
  return (
    <Section style={styles.section}>
      <Heading as="h3" style={styles.h3}>
        Community-sourced new key accounts ({communitySourced.shareText})
      </Heading>
      <Text style={styles.p}>{communitySourced.summary}</Text>
      {communitySourced.accounts.total > 0 ? (
        <AccountList list={communitySourced.accounts} empty="" />
      ) : null}
      <Heading as="h3" style={styles.h3}>
        Champion-loss alerts ({alerts.total})
      </Heading>
      <AlertList list={alerts} empty="No key account lost its last champion this month." />
    </Section>
  );
}

/**
 * "Corrections since the last report" (SPEC §5, §9): shown only when a recalculation changed a
 * month already mailed — a correction is never silent, and a report without one says nothing.
 */
export function Corrections({ model }: Props) {
  const { corrections } = model;
  if (corrections.total === 0) return null;
  return (
    <Section style={styles.section}>
      <Heading as="h2" style={styles.h2}>
        Corrections since the last report
      </Heading>
      <Text style={styles.p}>
        Recalculations changed {corrections.total === 1 ? 'this figure' : 'these figures'} of months
        already mailed (as mailed → now).
      </Text>
      <CorrectionList list={corrections} />
    </Section>
  );
}
