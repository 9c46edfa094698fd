import type { Principal } from '../../../../shared/auth/principal';
import { Channel } from '../../../../shared/graphql/channel';
import { IdentityType } from '../../../../shared/graphql/identity';
import { ANONYMOUS, openTestCustomers, SUPPORT } from '../customers.testkit';
import { TouchpointRow, TouchpointType } from './touchpoint.entity';

let test: Awaited<ReturnType<typeof openTestCustomers>>;

beforeAll(async () => {
  test = await openTestCustomers();
});
afterAll(() => test.close());

const customerOf = (id: string): Principal => ({ kind: 'CUSTOMER', customerId: id });

/** One page view of a device, sent by `principal`, with the result and the row kept. */
async function view(principal: Principal, device: string) {
  const eventId = test.unique('ev');
  const result = await test.domain.touchpoints.track(principal, [
    { eventId, type: TouchpointType.PAGE_VIEW, occurredAt: new Date(), channel: Channel.EC, identity: { type: IdentityType.DEVICE, value: device } },
  ]);
  const row = await test.db.manager.getRepository(TouchpointRow).findOneByOrFail({ eventId });
  return { eventId, result, kept: { customerId: row.customerId, identity: row.identityValue } };
}

describe("behaviour of a device someone has claimed", () => {
  it("joins the owner's history only when the owner sends it: sent anonymously or by another customer it is kept without the device, answered alike", async () => {
    const owner = await test.register(SUPPORT);
    const stranger = await test.register(SUPPORT);
    const device = test.unique('dev');
    const unclaimed = test.unique('dev');
    await test.domain.customers.link(customerOf(owner), owner, { type: IdentityType.DEVICE, value: device }, undefined, Channel.EC);

    const anonymous = await view(ANONYMOUS, device);
    const registrant = await view({ kind: 'ANONYMOUS', subject: test.unique('ec') }, device);
    const other = await view(customerOf(stranger), device);
    const own = await view(customerOf(owner), device);
    const nobodys = await view(ANONYMOUS, unclaimed);
    // The caller cannot tell a claimed device from one nobody has.
    for (const { result } of [anonymous, registrant, other, own, nobodys]) expect(result).toEqual({ accepted: 1, duplicates: [], rejected: [] });
    expect([anonymous.kept, registrant.kept, other.kept]).toEqual([
      { customerId: null, identity: null },
      { customerId: null, identity: null },
      { customerId: null, identity: null },
    ]);
    expect(own.kept).toEqual({ customerId: owner, identity: device });
    expect(nobodys.kept).toEqual({ customerId: null, identity: unclaimed });

    // Nothing brings them back to the owner later: linking the device again, verified, gives her only her own.
    await test.domain.customers.link(SUPPORT, owner, { type: IdentityType.DEVICE, value: device }, true, Channel.EC);
    expect(await test.db.manager.getRepository(TouchpointRow).countBy({ customerId: owner })).toBe(1);
    // Other services hear of them as nobody's, without the device (so no copy of the link attributes them).
    const published = await test.events('customer.event_tracked');
    const of = (eventId: string) => published.filter((e) => e.eventId === eventId).map((e) => [e.customerId, e.identityType, e.identityValue]);
    expect([anonymous, registrant, other].map((v) => of(v.eventId))).toEqual([[[null, null, null]], [[null, null, null]], [[null, null, null]]]);
    expect(of(own.eventId)).toEqual([[owner, 'DEVICE', device]]);
  });

  it('still gives the behaviour of a device nobody had claimed to whoever claims it', async () => {
    const device = test.unique('dev');
    await view(ANONYMOUS, device);
    const owner = await test.register(SUPPORT);
    await test.domain.customers.link(customerOf(owner), owner, { type: IdentityType.DEVICE, value: device }, undefined, Channel.EC);
    expect(await test.db.manager.getRepository(TouchpointRow).countBy({ customerId: owner, identityValue: device })).toBe(1);
  });
});
