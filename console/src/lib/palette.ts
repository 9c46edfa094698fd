import type { Channel, SegmentCode } from '../graphql/generated';

/** Channel colours, dark enough for white labels (WCAG AA contrast). */
export const CHANNEL_COLORS: Record<Channel, string> = {
  EC: '#1f5fa8',
  APP: '#7a3fa0',
  STORE: '#1e7a46',
  PARTNER: '#8a5a00',
};

export const SEGMENT_COLORS: Record<SegmentCode, string> = {
  OMNICHANNEL: '#1f5fa8',
  STORE_ONLY: '#1e7a46',
  EC_ONLY: '#5b6b7a',
  STORE_BUYER_EC_BROWSER: '#c2410c',
  NEW: '#7a3fa0',
  LAPSED: '#6b7280',
  VIP: '#a16207',
  CART_ABANDONED: '#be123c',
};
