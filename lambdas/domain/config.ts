import { defaultKaRules, type KaRules } from './ka.js';

/** Flywheel's configuration (SPEC §3 `PUT /admin/config`). */
export interface Config extends KaRules {
  /** IANA zone in which months and years begin (SPEC §1 "Reporting month"). */
  readonly timezone: string;
  readonly reportRecipients: readonly string[];
  /** The verified SES identity reports come from; `null` until configured. */
  readonly reportSender: string | null;
  /** The company's own accounts: their people are staff, never evangelists or champions (§1). */
  readonly staffAccounts: readonly string[];
  /** Email domains no account may hold, as the ASCII (punycode) form, lower case (SPEC §1, §3). */
  readonly personalMailDomains: readonly string[];
}

/** Common free-mail domains (SPEC §3 `personalMailDomains`' default). */
export const defaultPersonalMailDomains: readonly string[] = Object.freeze([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'yahoo.com',
  'ymail.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'gmx.de',
  'web.de',
  'mail.com',
  'yandex.ru',
  'mail.ru',
  'qq.com',
  '163.com',
  '126.com',
  'foxmail.com',
  'naver.com',
]);

export const defaultConfig: Config = Object.freeze({
  ...defaultKaRules,
  timezone: 'UTC',
  reportRecipients: Object.freeze([]),
  reportSender: null,
  staffAccounts: Object.freeze([]),
  personalMailDomains: defaultPersonalMailDomains,
});

/** Settings whose change alters computed months, which are then marked for recalculation. */
export const computedSettings = [
  'timezone',
  'kaThreshold',
  'nearKaThreshold',
  'countedEnvironments',
  'yearlyTarget',
  'staffAccounts',
  'personalMailDomains',
] as const satisfies readonly (keyof Config)[];
