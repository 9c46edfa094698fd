import type { Config } from '../../../../shared/config';
import type { Logger } from '../../../../shared/logger';
import { ServiceClient } from '../../../../shared/http/service-client';

/**
 * The customers subgraph as the orders service asks it, signed as a SERVICE principal: whether a
 * customer an order names stands (exists and is not erased). Asked at the moment of the order, so a
 * customer registered a moment ago can order at once, whatever the lag of the events.
 */
export class CustomersClient {
  private readonly client: ServiceClient;

  constructor(config: Config, logger: Logger) {
    this.client = new ServiceClient(config, logger, { caller: 'orders', target: 'customers' });
  }

  /** True when the id (or the survivor it was merged into) names a customer who has not been erased. */
  async stands(customerId: string): Promise<boolean> {
    const data = await this.client.request<{ customer: { id: string; erasedAt: string | null } | null }>(
      'query OrderCustomer($id: ID!) { customer(id: $id) { id erasedAt } }',
      { id: customerId },
    );
    return data.customer !== null && data.customer.erasedAt === null;
  }
}
