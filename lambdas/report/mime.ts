/**
 * The report as one raw MIME message for SES `SendEmail` (`Content.Raw`), built by nodemailer's
 * MailComposer: multipart/mixed → [ multipart/alternative → [ text/plain,
 * multipart/related → [ text/html, image/png (Content-ID) … ] ], text/csv attachment ].
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import type { ReportModel } from './model.js';

export interface ReportMessageInput {
  readonly model: ReportModel;
  readonly html: string;
  readonly text: string;
  /** PNGs the HTML references as `cid:<cid>`. */
  readonly images: readonly { readonly cid: string; readonly png: Buffer }[];
  readonly csv: string;
  readonly from: string;
  readonly to: readonly string[];
}

/** `flywheel-accounts-2026-03.csv`. */
export const accountsCsvFilename = (model: Pick<ReportModel, 'month'>): string =>
  `flywheel-accounts-${model.month}.csv`;

/** The raw message; the subject is the model's (SPEC §5), encoded by MailComposer as needed. */
export function buildReportMessage(input: ReportMessageInput): Promise<Buffer> {
  const { model } = input;
  const composer = new MailComposer({
    from: input.from,
    to: [...input.to],
    subject: model.subject,
    text: input.text,
    html: input.html,
    textEncoding: 'quoted-printable',
    attachments: [
      // A cid moves an image into multipart/related beside the HTML, shown inline.
      ...input.images.map((image) => ({
        cid: image.cid,
        filename: `${image.cid}.png`,
        content: image.png,
        contentType: 'image/png',
        contentDisposition: 'inline',
      })),
      {
        filename: accountsCsvFilename(model),
        content: Buffer.from(input.csv, 'utf8'),
        contentType: 'text/csv; charset=utf-8',
      },
    ],
  });
  return composer.compile().build();
}
