/** How a representation was received (and the annual report's "how received"). */
import { isOneOf } from './code-list.ts';

export const CHANNELS = ['leaflet', 'telephone', 'letter', 'email', 'online', 'in_person', 'other'] as const;

export type Channel = (typeof CHANNELS)[number];

export const CHANNEL_LABELS: Readonly<Record<Channel, string>> = {
  leaflet: 'Complaints leaflet',
  telephone: 'Telephone',
  letter: 'Letter',
  email: 'Email',
  online: 'Online form',
  in_person: 'In person',
  other: 'Other',
};

export function isChannel(value: unknown): value is Channel {
  return isOneOf(CHANNELS, value);
}
