import * as z from 'zod';

import { GENDERS, LOCALES, REGIONS, ROLES, STAKEHOLDER_GROUPS, VISIBILITIES } from './vocabulary';

export const StakeholderGroup = z.enum(STAKEHOLDER_GROUPS);
export type StakeholderGroup = z.infer<typeof StakeholderGroup>;

export const Region = z.enum(REGIONS);
export type Region = z.infer<typeof Region>;

export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const Visibility = z.enum(VISIBILITIES);
export type Visibility = z.infer<typeof Visibility>;

export const Gender = z.enum(GENDERS);
export type Gender = z.infer<typeof Gender>;

export const Locale = z.enum(LOCALES);
export type Locale = z.infer<typeof Locale>;
