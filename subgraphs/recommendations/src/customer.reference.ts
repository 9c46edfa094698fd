import { Customer } from './stubs';

/**
 * A reference answers for the id as given, without a statement: the ranking reads the survivor's state
 * when it was merged away (readStateFollowingMerges), and the access rule checks whom it stands for.
 */
export const customerReference = {
  Customer: {
    __resolveReference: (ref: { id: string }): Customer => Object.assign(new Customer(), { id: ref.id }),
  },
};
