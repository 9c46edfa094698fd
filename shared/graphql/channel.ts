import { registerEnumType } from 'type-graphql';

/** A sales or contact channel; shared by the customers and orders subgraphs. */
export enum Channel {
  EC = 'EC',
  APP = 'APP',
  STORE = 'STORE',
  PARTNER = 'PARTNER',
}

registerEnumType(Channel, {
  name: 'Channel',
  description: 'Where something happened.',
  valuesConfig: {
    EC: { description: 'The EC web site.' },
    APP: { description: 'The mobile app.' },
    STORE: { description: 'A physical store.' },
    PARTNER: { description: 'A partner integration (marketplace, POS vendor, ...).' },
  },
});
