/**
 * Configuration keys whose value is a list (SPEC §3 `PUT /admin/config`, §1 `staffAccounts` and
 * `personalMailDomains`): typed on a command line as a comma list.
 */
export const listKeys: readonly string[] = [
  'countedEnvironments',
  'reportRecipients',
  'staffAccounts',
  'personalMailDomains',
];

/**
 * The value of `flywheel config set <key> <value>` as the partial `PUT /admin/config` body takes
 * it: JSON when the text is JSON (`8`, `1.5`, `true`, `null`, `["a","b"]`, `"text"`); for a list
 * key, otherwise a comma list (`production,staging`; an empty text is `[]`); otherwise the text
 * itself (`Europe/Berlin`, `reports@example.com`). The API validates the value; unknown keys are
 * its 400 too, so keys it learns later work without a new command line.
 * @throws Error when the key is not a plain name.
 */
export function parseConfigValue(key: string, text: string): unknown {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(key)) {
    throw new Error(`${JSON.stringify(key)} is not a configuration key, e.g. kaThreshold`);
  }
  const json = parseJson(text.trim());
  if (listKeys.includes(key)) {
    if (Array.isArray(json.value)) return json.value;
    return text
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '');
  }
  return json.ok ? json.value : text;
}

function parseJson(text: string): { ok: boolean; value: unknown } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, value: undefined };
  }
}
