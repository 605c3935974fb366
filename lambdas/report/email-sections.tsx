/**
 * The sections of the monthly mail (SPEC §5), top to bottom in the order a reader asks: how many
 * key accounts, are we on pace, who moved, who is next, the community, and how fresh it all is.
 */
import { Column, Heading, Img, Row, Section, Text } from '@react-email/components';
import { chartImages } from './chart-options.js';
import { AccountList, ContentList, MemberList } from './email-lists.js';
import { badge, styles } from './email-styles.js';
import { formatCount, kaNoun } from './format.js';
import type { Multiple, ReportModel } from './model.js';
import { noPaceText } from './target-pace.js';

type Props = { model: ReportModel };

function Tile({ multiple, label }: { multiple: Multiple; label: string }) {
  return (
    <Column style={{ ...styles.tile, width: '32%' }}>
      <Text style={styles.tileValue}>{multiple.text}</Text>
      <Text style={styles.tileLabel}>{label}</Text>
    </Column>
  );
}

/** A gap between tiles that Outlook keeps (it ignores margins on table cells). */
const Gap = () => <Column style={{ width: '2%' }} />;

function Pace({ model }: Props) {
  const { pace } = model;
  if (pace === null) {
    return (
      <Text style={styles.p}>
        <span style={badge('neutral')}>No target pace</span>
        {noPaceText(model.month)}
      </Text>
    );
  }
  return (
    <>
      <Text style={styles.p}>
        <span style={badge(pace.onTrack ? 'good' : 'bad')}>
          {pace.onTrack ? 'On track' : 'Behind pace'}
        </span>
        {pace.summary}
      </Text>
      <Text style={styles.note}>{pace.targetSummary}</Text>
    </>
  );
}

/** The KA count, its multiples and the target pace. */
export function Headline({ model }: Props) {
  const { headline } = model;
  return (
    <Section style={styles.section}>
      <Text style={styles.bigNumber}>{headline.kaCountText}</Text>
      <Text style={{ ...styles.p, color: styles.note.color }}>
        key accounts in {model.monthLabel}
      </Text>
      <Row style={{ margin: '16px 0 12px' }}>
        <Tile multiple={headline.mom} label="month over month" />
        <Gap />
        <Tile multiple={headline.yoy} label="year over year" />
        <Gap />
        <Tile multiple={headline.ytd} label="year to date" />
      </Row>
      <Pace model={model} />
    </Section>
  );
}

/** A chart image by Content-ID, full width, sized for Outlook by attributes. */
export function Chart({
  image,
  alt,
}: {
  image: { cid: string; width: number; height: number };
  alt: string;
}) {
  return (
    <Img
      src={`cid:${image.cid}`}
      alt={alt}
      width={image.width}
      height={image.height}
      style={styles.image}
    />
  );
}

export function KaTrend({ model }: Props) {
  const first = model.series[0];
  const from = first?.kaCount == null ? '' : ` from ${formatCount(first.kaCount)}`;
  const alt = `Bar chart of key accounts per month${from} to ${model.headline.kaCountText} in ${model.monthLabel}${model.pace ? ', with the target pace as a dashed line' : ''}.`;
  return (
    <Section style={styles.section}>
      <Heading as="h2" style={styles.h2}>
        Key accounts, last {model.series.length} months
      </Heading>
      <Chart image={chartImages.kaTrend} alt={alt} />
    </Section>
  );
}

export function Movements({ model }: Props) {
  const { movements } = model;
  return (
    <Section style={styles.section}>
      <Heading as="h2" style={styles.h2}>
        Movements
      </Heading>
      <Text style={styles.p}>
        {kaNoun(movements.retainedCount)} retained from the month before.
      </Text>
      <Text style={styles.p}>
        KA quick ratio <strong>{model.kaQuickRatio.text}</strong>
        <span style={styles.secondary}>
          {' '}
          {model.kaQuickRatio.value === null
            ? '— no key account churned, so there is nothing to weigh the gains against'
            : '— (new + reactivated) ÷ churned; above 1 the base grows'}
        </span>
      </Text>
      <Heading as="h3" style={styles.h3}>
        New ({movements.new.total})
      </Heading>
      <AccountList list={movements.new} empty="No new key accounts this month." />
      <Heading as="h3" style={styles.h3}>
        Reactivated ({movements.reactivated.total})
      </Heading>
      <AccountList list={movements.reactivated} empty="No key account came back this month." />
      <Heading as="h3" style={styles.h3}>
        Churned ({movements.churned.total})
      </Heading>
      <AccountList list={movements.churned} empty="No key account dropped out this month." />
    </Section>
  );
}

export function Pipeline({ model }: Props) {
  const { nodes } = model;
  return (
    <Section style={styles.section}>
      <Heading as="h2" style={styles.h2}>
        Near-KA pipeline ({model.nearKa.total})
      </Heading>
      <Text style={styles.note}>Accounts closing in on the KA threshold, closest first.</Text>
      <AccountList list={model.nearKa} empty="No account is close to becoming a key account." />
      <Heading as="h2" style={styles.h2}>
        Nodes
      </Heading>
      <Row>
        <Column style={{ ...styles.tile, width: '49%' }}>
          <Text style={styles.tileValue}>{nodes.productionText}</Text>
          <Text style={styles.tileLabel}>production nodes across all accounts</Text>
        </Column>
        <Gap />
        <Column style={{ ...styles.tile, width: '49%' }}>
          <Text style={styles.tileValue}>{nodes.unattributedText}</Text>
          <Text style={styles.tileLabel}>
            unattributed nodes ({nodes.unattributedShareText}) — clusters not mapped to an account
          </Text>
        </Column>
      </Row>
    </Section>
  );
}

export function Evangelists({ model }: Props) {
  return (
    <Section style={styles.section}>
      <Heading as="h2" style={styles.h2}>
        Evangelists
      </Heading>
      {model.tiers.map((tier) => (
        <div key={tier.id}>
          <Heading as="h3" style={styles.h3}>
            {tier.name} <span style={styles.secondary}>· reached at {tier.minCount} a year</span>
          </Heading>
          <Text style={styles.note}>Newly reached this month</Text>
          <MemberList list={tier.newlyReached} empty="Nobody new." />
          <Text style={styles.note}>One step away</Text>
          <MemberList list={tier.oneStepAway} empty="Nobody yet." />
        </div>
      ))}
    </Section>
  );
}

export function Content({ model }: Props) {
  const { talks, recognised } = model.content;
  return (
    <Section style={styles.section}>
      <Heading as="h2" style={styles.h2}>
        Talks ({talks.total})
      </Heading>
      <ContentList list={talks} empty="No talks this month." />
      <Heading as="h2" style={styles.h2}>
        Recognised content ({recognised.total})
      </Heading>
      <ContentList list={recognised} empty="No content was recognised this month." />
    </Section>
  );
}

export function Champions({ model }: Props) {
  const { championCoverage: coverage, headline } = model;
  const share =
    coverage.kasWithChampion === null
      ? 'No key accounts this month, so no coverage.'
      : `of key accounts have an active community champion (${formatCount(coverage.kasWithChampion)} of ${headline.kaCountText}).`;
  const alt = `Stacked bar chart of key accounts per month, with and without a community champion; ${coverage.text} covered in ${model.monthLabel}.`;
  return (
    <Section style={styles.section}>
      <Heading as="h2" style={styles.h2}>
        The flywheel: champion coverage
      </Heading>
      <Text style={styles.p}>
        <strong style={{ fontSize: '22px' }}>{coverage.text}</strong> {share}
      </Text>
      <Chart image={chartImages.flywheel} alt={alt} />
    </Section>
  );
}
