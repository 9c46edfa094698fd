import { MaxLength } from 'class-validator';
import { Field, InputType, registerEnumType } from 'type-graphql';

/** A key by which some channel knows a person; every subgraph that takes identities uses this enum. */
export enum IdentityType {
  EMAIL = 'EMAIL',
  PHONE = 'PHONE',
  EC_ACCOUNT = 'EC_ACCOUNT',
  MEMBER_CARD = 'MEMBER_CARD',
  APP_INSTALL = 'APP_INSTALL',
  LINE_USER = 'LINE_USER',
  DEVICE = 'DEVICE',
}
registerEnumType(IdentityType, {
  name: 'IdentityType',
  description: 'A key by which some channel knows a person.',
  valuesConfig: {
    EMAIL: { description: 'An e-mail address (stored lower-case).' },
    PHONE: { description: 'A phone number (stored as E.164, e.g. +819012345678).' },
    EC_ACCOUNT: { description: 'An account id of the identity provider behind the EC site and app: the subject of its tokens, kept and matched exactly (case, width and spaces count).' },
    MEMBER_CARD: { description: 'A store membership card number.' },
    APP_INSTALL: { description: 'An installation id of the mobile app.' },
    LINE_USER: { description: 'A LINE user id.' },
    DEVICE: { description: 'A browser or device id (anonymous until linked).' },
  },
});

/** The wire form of an identity, as storefronts, the app and POS integrations send it. */
@InputType({ description: 'A key by which a channel knows a person; the value is normalised before use (an EC_ACCOUNT is taken exactly as given).' })
export class IdentityInput {
  @Field(() => IdentityType, { description: 'Kind of key.' })
  type!: IdentityType;

  @MaxLength(320)
  @Field({ description: 'The key as the channel knows it, e.g. 090-1234-5678 or a membership card number.' })
  value!: string;
}
