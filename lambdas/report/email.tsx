/**
 * The monthly report as an HTML mail (SPEC §5): one 600 px column of tables with inline styles,
 * charts as `cid:` PNGs, no SVG and no script, so Gmail, Outlook and Apple Mail show the same.
 */
import {
  Body,
  Container,
  Head,
  Heading,
  Hr,
  Html,
  Preview,
  Section,
  Text,
} from '@react-email/components';
import { render } from '@react-email/render';
import { Corrections, FlywheelMeasured, Forecast, NodeBridge } from './email-analytics.js';
import {
  Champions,
  Content,
  Evangelists,
  Headline,
  KaTrend,
  Movements,
  Pipeline,
} from './email-sections.js';
import { palette, styles } from './email-styles.js';
import type { ReportModel } from './model.js';
import { reportText } from './text.js';

function Freshness({ model }: { model: ReportModel }) {
  const { freshness } = model;
  return (
    <Section style={styles.footer}>
      <Hr style={styles.hr} />
      {freshness.telemetryStale ? (
        <Text style={{ ...styles.note, color: palette.warn, fontWeight: 700 }}>
          Telemetry may be incomplete: the last snapshot arrived {freshness.lastTelemetryText}.
        </Text>
      ) : null}
      <Text style={styles.note}>
        Figures computed {freshness.computedAtText} · last telemetry {freshness.lastTelemetryText} ·
        report generated {freshness.generatedAtText}.
      </Text>
      {freshness.recalculatedMonths.length > 0 ? (
        <Text style={styles.note}>
          Recalculated since the last report: {freshness.recalculatedMonths.join(', ')}. Their
          figures may differ from earlier reports.
        </Text>
      ) : null}
      <Text style={styles.note}>{model.rejections.text}</Text>
      <Text style={styles.note}>
        The month's full account list is attached as CSV. Sent by Flywheel.
      </Text>
    </Section>
  );
}

/** The whole mail; exported for previews and tests. */
export function ReportEmail({ model }: { model: ReportModel }) {
  return (
    <Html lang="en" dir="ltr">
      <Head>
        <title>{model.subject}</title>
        <meta name="color-scheme" content="light only" />
        <meta name="supported-color-schemes" content="light" />
      </Head>
      <Preview>{model.preview}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Section style={styles.header}>
            <Text style={styles.kicker}>Flywheel growth report</Text>
            <Heading as="h1" style={styles.title}>
              {model.monthLabel}
            </Heading>
          </Section>
          <Headline model={model} />
          <Forecast model={model} />
          <KaTrend model={model} />
          <Movements model={model} />
          <NodeBridge model={model} />
          <Pipeline model={model} />
          <Evangelists model={model} />
          <Content model={model} />
          <Champions model={model} />
          <FlywheelMeasured model={model} />
          <Corrections model={model} />
          <Freshness model={model} />
        </Container>
      </Body>
    </Html>
  );
}

/** The HTML part of M's mail; charts are `cid:ka-trend`, `cid:node-bridge` and `cid:flywheel`. */
export function renderReportHtml(model: ReportModel): Promise<string> {
  return render(<ReportEmail model={model} />);
}

/**
 * The plain-text part, written from the model rather than converted from the HTML: layout tables
 * turn into ragged text, and readers of the text part deserve aligned columns.
 */
export function renderReportText(model: ReportModel): string {
  return reportText(model);
}
