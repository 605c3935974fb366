import { defaultKaRules, type KaRules } from './ka.js';

/** Flywheel's configuration (SPEC §3 `PUT /admin/config`). */
export interface Config extends KaRules {
  /** IANA zone in which months and years begin (SPEC §1 "Reporting month"). */
  readonly timezone: string;
  readonly reportRecipients: readonly string[];
  /** The verified SES identity reports come from; `null` until configured. */
  readonly reportSender: string | null;
}

export const defaultConfig: Config = Object.freeze({
  ...defaultKaRules,
  timezone: 'UTC',
  reportRecipients: Object.freeze([]),
  reportSender: null,
});

/** Settings whose change alters computed months, which are then marked for recalculation. */
export const computedSettings = [
  'timezone',
  'kaThreshold',
  'nearKaThreshold',
  'countedEnvironments',
  'yearlyTarget',
] as const satisfies readonly (keyof Config)[];
