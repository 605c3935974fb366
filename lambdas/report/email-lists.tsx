/**
 * The mail's lists — accounts, members, talks and content — as plain tables, the one layout that
 * Outlook, Gmail and Apple Mail agree on.
 */
import { Link, Text } from '@react-email/components';
import type { ReactNode } from 'react';
import type { AlertLine } from './analytics-sections.js';
import type { CorrectionLine } from './correction-lines.js';
import { styles } from './email-styles.js';
import { formatCount } from './format.js';
import type { AccountLine, ContentLine, Listing, MemberLine } from './sections.js';

/** A two-column table: what on the left, a number on the right. */
function Lines({ rows }: { rows: readonly { key: string; left: ReactNode; right: ReactNode }[] }) {
  return (
    <table role="presentation" cellPadding={0} cellSpacing={0} style={styles.table}>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            <td style={styles.cell}>{row.left}</td>
            <td style={styles.cellRight}>{row.right}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** "…and 11 more", pointing to where the rest is when there is such a place. */
function More({ hidden, where }: { hidden: number; where?: string }) {
  if (hidden === 0) return null;
  return (
    <Text style={styles.note}>
      …and {formatCount(hidden)} more{where ? ` ${where}` : ''}.
    </Text>
  );
}

/** Accounts with their production nodes, or a sentence when there are none. */
export function AccountList({ list, empty }: { list: Listing<AccountLine>; empty: string }) {
  if (list.total === 0) return <Text style={styles.note}>{empty}</Text>;
  const rows = list.items.map((account) => ({
    key: account.accountId,
    left: account.name,
    right: `${account.nodesText} nodes`,
  }));
  return (
    <>
      <Lines rows={rows} />
      <More hidden={list.hidden} where="in the attached CSV" />
    </>
  );
}

/** Members with their account and how many qualifying activities they have this year. */
export function MemberList({ list, empty }: { list: Listing<MemberLine>; empty: string }) {
  if (list.total === 0) return <Text style={styles.note}>{empty}</Text>;
  const rows = list.items.map((member) => ({
    key: member.memberId,
    left: (
      <>
        {member.name}
        {member.account === null ? null : <span style={styles.secondary}> · {member.account}</span>}
      </>
    ),
    right: member.progressText,
  }));
  return (
    <>
      <Lines rows={rows} />
      <More hidden={list.hidden} />
    </>
  );
}

/** Talks or content pieces: linked title, then kind, authors and date. */
export function ContentList({ list, empty }: { list: Listing<ContentLine>; empty: string }) {
  if (list.total === 0) return <Text style={styles.note}>{empty}</Text>;
  const rows = list.items.map((item, index) => ({
    key: `${index}`,
    left: (
      <>
        {item.url === null ? (
          <strong>{item.title}</strong>
        ) : (
          <Link href={item.url} style={styles.link}>
            <strong>{item.title}</strong>
          </Link>
        )}
        <br />
        <span style={styles.secondary}>
          {item.kind} · {item.authors}
        </span>
      </>
    ),
    right: <span style={styles.secondary}>{item.date}</span>,
  }));
  return (
    <>
      <Lines rows={rows} />
      <More hidden={list.hidden} />
    </>
  );
}

/** Key accounts that lost their last champion: the account, then who left and why. */
export function AlertList({ list, empty }: { list: Listing<AlertLine>; empty: string }) {
  if (list.total === 0) return <Text style={styles.note}>{empty}</Text>;
  const rows = list.items.map((alert) => ({
    key: alert.accountId,
    left: (
      <>
        <strong>{alert.name}</strong>
        <br />
        <span style={styles.secondary}>{alert.lost}</span>
      </>
    ),
    right: <span style={styles.secondary}>no champion left</span>,
  }));
  return (
    <>
      <Lines rows={rows} />
      <More hidden={list.hidden} where="at GET /alerts" />
    </>
  );
}

/** Corrections to months already mailed: what changed, as mailed and now (SPEC §9). */
export function CorrectionList({ list }: { list: Listing<CorrectionLine> }) {
  const rows = list.items.map((line) => ({
    key: line.key,
    left: (
      <>
        <strong>{line.what}</strong>
        <br />
        <span style={styles.secondary}>{line.monthText}</span>
      </>
    ),
    right: (
      <span>
        <span style={styles.secondary}>{line.before}</span> → {line.after}
      </span>
    ),
  }));
  return (
    <>
      <Lines rows={rows} />
      <More hidden={list.hidden} where="at GET /admin/changes" />
    </>
  );
}
