import type { Random } from './random.js';

/**
 * Made-up company and people names. The words are ordinary or invented; combining them keeps the
 * demo's customers plausible without naming real brands.
 */
const PREFIXES = [
  'Northwind',
  'Amberline',
  'Brindlewood',
  'Cobaltreach',
  'Driftmoor',
  'Emberfield',
  'Fernhollow',
  'Glasswing',
  'Harborlight',
  'Ironquill',
  'Kestrelway',
  'Larkmeadow',
  'Mossgate',
  'Nettlebrook',
  'Oakhaven',
  'Pinecrest',
  'Quartzline',
  'Ravenmere',
  'Saltmarsh',
  'Thistledown',
  'Umberfall',
  'Velvetpeak',
  'Willowmere',
  'Yarrowdale',
  'Zephyrine',
  'Bramblecot',
  'Copperkettle',
  'Duskwater',
  'Foxglade',
  'Granitehill',
  'Hollowbrook',
  'Lanternfish',
  'Marigold',
  'Nightjar',
  'Orchardline',
  'Pebblestone',
  'Riverbend',
  'Silverfir',
  'Tidewater',
  'Wrenfield',
];

const SECTORS = [
  'Logistics',
  'Payments',
  'Health',
  'Games',
  'Insurance',
  'Retail',
  'Telecom',
  'Energy',
  'Mobility',
  'Analytics',
  'Securities',
  'Media',
  'Foods',
  'Travel',
];

/** `count` distinct company names, e.g. "Northwind Logistics". */
export function companyNames(random: Random, count: number): string[] {
  const all = PREFIXES.flatMap((prefix) => SECTORS.map((sector) => `${prefix} ${sector}`));
  if (count > all.length) throw new Error(`only ${all.length} company names available`);
  // One company per prefix before any prefix repeats, so the first names read varied.
  const byPrefix = random
    .shuffle(PREFIXES)
    .map((prefix) => random.shuffle(all.filter((name) => name.startsWith(`${prefix} `))));
  const names: string[] = [];
  for (let round = 0; names.length < count; round++) {
    for (const group of byPrefix) {
      const name = group[round];
      if (name !== undefined && names.length < count) names.push(name);
    }
  }
  return names;
}

/** "Northwind Logistics" → "northwind-logistics": an id in the SPEC's charset. */
export const slug = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

const FIRST = [
  'Aiko',
  'Amara',
  'Bao',
  'Camila',
  'Daniel',
  'Elif',
  'Farah',
  'Gabriel',
  'Hana',
  'Ivan',
  'Jun',
  'Kavya',
  'Lars',
  'Lucia',
  'Mateo',
  'Mei',
  'Nadia',
  'Noah',
  'Olu',
  'Priya',
  'Quentin',
  'Rafael',
  'Sana',
  'Tomas',
  'Uma',
  'Vikram',
  'Wen',
  'Xin',
  'Yara',
  'Zoltan',
  'Ana',
  'Chen',
  'Dmitri',
  'Esther',
  'Felix',
  'Ines',
  'Kenji',
  'Leila',
  'Min',
  'Sofia',
];

const LAST = [
  'Abara',
  'Bianchi',
  'Castillo',
  'Dubois',
  'Eriksen',
  'Fujita',
  'Gupta',
  'Haddad',
  'Ivanova',
  'Jensen',
  'Kowalski',
  'Lin',
  'Moreau',
  'Nakamura',
  'Okafor',
  'Petrov',
  'Quispe',
  'Rossi',
  'Sato',
  'Tan',
  'Umarov',
  'Varga',
  'Wang',
  'Xu',
  'Yilmaz',
  'Zhou',
  'Alves',
  'Becker',
  'Choi',
  'Diaz',
];

/** A person's display name; a repeat is fine (identities, not names, tell people apart). */
export function personName(random: Random): string {
  return `${random.pick(FIRST)} ${random.pick(LAST)}`;
}

const TOPICS = [
  'online schema changes',
  'multi-region replication',
  'real-time analytics',
  'zero-downtime upgrades',
  'autoscaling storage',
  'backup and point-in-time restore',
  'hot-spot detection',
  'cost-based query tuning',
  'change data capture',
  'observability at scale',
  'Kubernetes operators',
  'migrating off sharded MySQL',
  'disaster recovery drills',
  'resource isolation',
  'vector search',
];

/** A talk or content title, sometimes naming the author's company. */
export function title(random: Random, kind: string, company: string | undefined): string {
  const topic = random.pick(TOPICS);
  const upper = topic.charAt(0).toUpperCase() + topic.slice(1);
  const templates = [
    `${upper} in production: lessons learned`,
    `A practical guide to ${topic}`,
    `${upper}, step by step`,
    ...(company ? [`How ${company} handles ${topic}`, `${upper} at ${company}`] : []),
  ];
  const text = random.pick(templates);
  return kind === 'course' ? `Course: ${text}` : kind === 'video' ? `Video: ${text}` : text;
}
