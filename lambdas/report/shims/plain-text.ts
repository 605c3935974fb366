/**
 * Stands in for `html-to-text`, `html5parser` and `entities/lib/decode.js` in the report function's
 * bundle only (see `lib/bundling.ts`). React Email's `render` imports them for `{ plainText: true }`,
 * which Flywheel never asks for: the plain-text part is written by `report/text.ts`. Leaving them
 * out saves ~230 KB of parsers and entity tables.
 */
const notBundled = (): never => {
  throw new Error('Plain-text conversion is not bundled: the report writes it in report/text.ts');
};

export const convert = notBundled;
export const parse = notBundled;
export const decodeHTML = notBundled;
export const decodeHTMLAttribute = notBundled;
export const SyntaxKind = {};
