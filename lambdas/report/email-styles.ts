/**
 * The mail's look as inline style objects: Gmail drops `<style>` blocks in many views and Outlook
 * ignores most CSS, so every element carries its own styles, in properties all three render.
 */
import type { CSSProperties } from 'react';

export const palette = {
  page: '#f1f3f5',
  card: '#ffffff',
  text: '#212529',
  muted: '#6c757d',
  line: '#e9ecef',
  accent: '#364fc7',
  good: '#087f5b',
  goodBg: '#e6fcf5',
  bad: '#c92a2a',
  badBg: '#fff5f5',
  neutralBg: '#f1f3f5',
  warn: '#e67700',
  warnBg: '#fff9db',
} as const;

/** Inter where installed (Apple Mail with it), else each platform's own UI font. */
const fontFamily =
  "Inter, -apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

export const styles = {
  body: { backgroundColor: palette.page, margin: 0, padding: '24px 0', fontFamily },
  container: {
    backgroundColor: palette.card,
    maxWidth: '600px',
    width: '100%',
    margin: '0 auto',
    borderRadius: '8px',
  },
  header: { padding: '28px 24px 8px' },
  kicker: {
    margin: 0,
    color: palette.accent,
    fontSize: '12px',
    fontWeight: 700,
    letterSpacing: '1.5px',
    textTransform: 'uppercase',
  },
  title: { margin: '4px 0 0', color: palette.text, fontSize: '28px', lineHeight: '36px' },
  section: { padding: '8px 24px 16px' },
  h2: {
    margin: '16px 0 8px',
    color: palette.text,
    fontSize: '18px',
    lineHeight: '26px',
    fontWeight: 700,
  },
  h3: {
    margin: '14px 0 4px',
    color: palette.text,
    fontSize: '15px',
    lineHeight: '22px',
    fontWeight: 700,
  },
  p: { margin: '4px 0', color: palette.text, fontSize: '15px', lineHeight: '22px' },
  note: { margin: '4px 0', color: palette.muted, fontSize: '13px', lineHeight: '19px' },
  bigNumber: {
    margin: 0,
    color: palette.text,
    fontSize: '56px',
    lineHeight: '60px',
    fontWeight: 800,
    letterSpacing: '-1px',
  },
  tileValue: {
    margin: 0,
    color: palette.text,
    fontSize: '22px',
    lineHeight: '28px',
    fontWeight: 700,
  },
  tileLabel: { margin: '2px 0 0', color: palette.muted, fontSize: '12px', lineHeight: '16px' },
  tile: {
    padding: '12px',
    backgroundColor: palette.neutralBg,
    borderRadius: '6px',
    verticalAlign: 'top',
  },
  image: { display: 'block', width: '100%', maxWidth: '600px', height: 'auto', border: 0 },
  table: { width: '100%', borderCollapse: 'collapse' },
  cell: {
    padding: '7px 0',
    borderBottom: `1px solid ${palette.line}`,
    color: palette.text,
    fontSize: '14px',
    lineHeight: '20px',
    verticalAlign: 'top',
  },
  cellRight: {
    padding: '7px 0 7px 12px',
    borderBottom: `1px solid ${palette.line}`,
    color: palette.text,
    fontSize: '14px',
    lineHeight: '20px',
    textAlign: 'right',
    whiteSpace: 'nowrap',
    verticalAlign: 'top',
  },
  secondary: { color: palette.muted, fontSize: '13px' },
  link: { color: palette.accent, textDecoration: 'underline' },
  hr: { borderColor: palette.line, borderTopWidth: '1px', margin: '8px 0' },
  footer: { padding: '16px 24px 28px' },
} satisfies Record<string, CSSProperties>;

/** The pace badge: green when on track, red when behind, grey without a target. */
export function badge(tone: 'good' | 'bad' | 'neutral'): CSSProperties {
  const [color, backgroundColor] =
    tone === 'good'
      ? [palette.good, palette.goodBg]
      : tone === 'bad'
        ? [palette.bad, palette.badBg]
        : [palette.muted, palette.neutralBg];
  return {
    display: 'inline-block',
    margin: '0 8px 0 0',
    padding: '3px 10px',
    borderRadius: '12px',
    color,
    backgroundColor,
    fontSize: '13px',
    fontWeight: 700,
    lineHeight: '20px',
  };
}
