import type { PostalAddress } from '../../../../shared/address';
import type { Config } from '../../../../shared/config';
import { ServiceClient } from '../../../../shared/http/service-client';
import type { Logger } from '../../../../shared/logger';

/**
 * The customers subgraph as the carts service asks it, signed as a SERVICE principal: a saved
 * address of the customer checking out, snapshotted onto the order.
 */
export class CustomersClient {
  private readonly client: ServiceClient;

  constructor(config: Config, logger: Logger) {
    this.client = new ServiceClient(config, logger, { caller: 'carts', target: 'customers' });
  }

  /** The customer's address with this id, or null when she has none by that id. */
  async addressOf(customerId: string, addressId: string): Promise<PostalAddress | null> {
    const data = await this.client.request<{ _entities: Array<{ addresses: Array<PostalAddress & { id: string }> } | null> }>(
      `query CheckoutAddress($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on Customer { addresses { id recipientName postalCode prefecture city line1 line2 phone } }
        }
      }`,
      { representations: [{ __typename: 'Customer', id: customerId }] },
    );
    const found = data._entities[0]?.addresses.find((a) => a.id === addressId);
    if (!found) return null;
    const { id: _id, ...address } = found;
    return address;
  }
}
