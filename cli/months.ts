/** A reporting month `YYYY-MM` (SPEC §1): month 01–12 of a four-digit year. */
const monthPattern = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * Checks a month argument before it reaches the API, so a typo is a usage error (exit 2) rather
 * than the API's 400 (exit 1).
 * @throws Error saying the expected form.
 */
export function parseMonth(text: string): string {
  if (!monthPattern.test(text)) {
    throw new Error(`${JSON.stringify(text)} is not a month: write YYYY-MM, e.g. 2026-10`);
  }
  return text;
}

/**
 * A program year (SPEC §3 `PUT /admin/programs/{year}`): four digits.
 * @throws Error saying the expected form.
 */
export function parseYear(text: string): string {
  if (!/^\d{4}$/.test(text)) {
    throw new Error(`${JSON.stringify(text)} is not a year: write four digits, e.g. 2026`);
  }
  return text;
}
