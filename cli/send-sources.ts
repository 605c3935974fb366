/** The webhook sources `flywheel send` delivers to (SPEC §2), kept free of heavy imports. */
export const sources = ['telemetry', 'community'] as const;
export type Source = (typeof sources)[number];

/** SPEC §2: at most 1,000 items per delivery. */
export const maxBatchItems = 1000;

/** The variable holding each source's signing secret (SPEC §6). */
export const secretVariable: Record<Source, string> = {
  telemetry: 'FLYWHEEL_TELEMETRY_SECRET',
  community: 'FLYWHEEL_COMMUNITY_SECRET',
};

/** The progress file of an input file: beside it, so a retry from any directory finds it. */
export const statePathOf = (file: string) => `${file}.flywheel-progress`;
