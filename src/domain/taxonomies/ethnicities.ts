/**
 * Ethnicity of the young person, as the Department for Education's codes (those of the
 * children in need census and the SSDA903 return), with their standard descriptions.
 * The groups are the DfE's main categories, for report tables that need
 * fewer rows than codes.
 */
import { isOneOf } from './code-list.ts';

export const ETHNICITIES = [
  'WBRI',
  'WIRI',
  'WIRT',
  'WOTH',
  'WROM',
  'MWBC',
  'MWBA',
  'MWAS',
  'MOTH',
  'AIND',
  'APKN',
  'ABAN',
  'AOTH',
  'BCRB',
  'BAFR',
  'BOTH',
  'CHNE',
  'OOTH',
  'REFU',
  'NOBT',
] as const;

export type Ethnicity = (typeof ETHNICITIES)[number];

export const ETHNICITY_LABELS: Readonly<Record<Ethnicity, string>> = {
  WBRI: 'White British',
  WIRI: 'White Irish',
  WIRT: 'Traveller of Irish heritage',
  WOTH: 'Any other White background',
  WROM: 'Gypsy/Roma',
  MWBC: 'White and Black Caribbean',
  MWBA: 'White and Black African',
  MWAS: 'White and Asian',
  MOTH: 'Any other mixed background',
  AIND: 'Indian',
  APKN: 'Pakistani',
  ABAN: 'Bangladeshi',
  AOTH: 'Any other Asian background',
  BCRB: 'Black Caribbean',
  BAFR: 'Black African',
  BOTH: 'Any other Black background',
  CHNE: 'Chinese',
  OOTH: 'Any other ethnic group',
  REFU: 'Refused',
  NOBT: 'Information not yet obtained',
};

export function isEthnicity(value: unknown): value is Ethnicity {
  return isOneOf(ETHNICITIES, value);
}

export const ETHNICITY_GROUPS = ['white', 'mixed', 'asian', 'black', 'chinese', 'other', 'not_known'] as const;

export type EthnicityGroup = (typeof ETHNICITY_GROUPS)[number];

export const ETHNICITY_GROUP_LABELS: Readonly<Record<EthnicityGroup, string>> = {
  white: 'White',
  mixed: 'Mixed',
  asian: 'Asian or Asian British',
  black: 'Black or Black British',
  chinese: 'Chinese',
  other: 'Any other ethnic group',
  not_known: 'Refused or not yet obtained',
};

export const ETHNICITY_GROUP_OF: Readonly<Record<Ethnicity, EthnicityGroup>> = {
  WBRI: 'white',
  WIRI: 'white',
  WIRT: 'white',
  WOTH: 'white',
  WROM: 'white',
  MWBC: 'mixed',
  MWBA: 'mixed',
  MWAS: 'mixed',
  MOTH: 'mixed',
  AIND: 'asian',
  APKN: 'asian',
  ABAN: 'asian',
  AOTH: 'asian',
  BCRB: 'black',
  BAFR: 'black',
  BOTH: 'black',
  CHNE: 'chinese',
  OOTH: 'other',
  REFU: 'not_known',
  NOBT: 'not_known',
};
