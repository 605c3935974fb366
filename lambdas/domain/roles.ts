/**
 * Who may do what (SPEC §8): three roles, each including the one before — `viewer` reads,
 * `reviewer` also reviews content and merges or splits members, `admin` does everything.
 */

export const roles = ['viewer', 'reviewer', 'admin'] as const;

/** A person's or a script's role; the bootstrap token is `admin`. */
export type Role = (typeof roles)[number];

const rank: Record<Role, number> = { viewer: 0, reviewer: 1, admin: 2 };

/** Whether `held` includes everything `needed` allows (SPEC §8: each role includes the one before). */
export const roleAllows = (held: Role, needed: Role): boolean => rank[held] >= rank[needed];

export const isRole = (text: string): text is Role => (roles as readonly string[]).includes(text);
