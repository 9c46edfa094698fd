import type { Customer360Query } from '../../graphql/generated';

export type Customer360 = NonNullable<Customer360Query['customer']>;
