import type { Principal } from '../../../../shared/auth/principal';
import { Channel } from '../../../../shared/graphql/channel';
import { IdentityType } from '../../../../shared/graphql/identity';
import { ANONYMOUS, openTestCustomers, SUPPORT } from '../customers.testkit';
import { TouchpointRow, TouchpointType } from './touchpoint.entity';
import type { TrackedEvent } from './touchpoint.service';

let test: Awaited<ReturnType<typeof openTestCustomers>>;

beforeAll(async () => {
  test = await openTestCustomers();
});
afterAll(() => test.close());

const customerOf = (id: string): Principal => ({ kind: 'CUSTOMER', customerId: id });
const view = (eventId: string, subject: Pick<TrackedEvent, 'customerId' | 'identity'>): TrackedEvent => ({
  eventId,
  type: TouchpointType.PAGE_VIEW,
  occurredAt: new Date(),
  channel: Channel.EC,
  ...subject,
});
const kept = (eventId: string) => test.db.manager.getRepository(TouchpointRow).countBy({ eventId });

describe('behaviour event ids belong to their subject', () => {
  it('keeps one id for each customer and identity it is sent for, and a retry of each as a duplicate', async () => {
    const ann = await test.register(SUPPORT);
    const bob = await test.register(SUPPORT);
    const eventId = test.unique('ev');
    const device = { type: IdentityType.DEVICE, value: test.unique('dev') };
    const card = { type: IdentityType.MEMBER_CARD, value: test.unique('MC').toUpperCase() };
    const sends: Array<[Principal, Pick<TrackedEvent, 'customerId' | 'identity'>]> = [
      [customerOf(bob), { customerId: bob }],
      [customerOf(ann), { customerId: ann }],
      [ANONYMOUS, { identity: device }],
      [SUPPORT, { identity: card }],
    ];
    for (const [principal, subject] of sends) expect(await test.domain.touchpoints.track(principal, [view(eventId, subject)])).toEqual({ accepted: 1, duplicates: [], rejected: [] });
    for (const [principal, subject] of sends) expect(await test.domain.touchpoints.track(principal, [view(eventId, subject)])).toEqual({ accepted: 0, duplicates: [eventId], rejected: [] });
    // Twice in one batch for one subject is once.
    const fresh = test.unique('ev');
    expect(await test.domain.touchpoints.track(SUPPORT, [view(fresh, { customerId: ann }), view(fresh, { customerId: bob }), view(fresh, { customerId: ann })])).toEqual({
      accepted: 2,
      duplicates: [fresh],
      rejected: [],
    });
    expect(await kept(eventId)).toBe(4);
  });

  it("answers an id sent for someone the caller may not send for as refused, never as someone else's duplicate", async () => {
    const ann = await test.register(SUPPORT);
    const bob = await test.register(SUPPORT);
    const eventId = test.unique('ev');
    await test.domain.touchpoints.track(customerOf(bob), [view(eventId, { customerId: bob })]);
    const probe = await test.domain.touchpoints.track(customerOf(ann), [view(eventId, { customerId: bob })]);
    expect(probe.rejected.map((r) => r.code)).toEqual(['FORBIDDEN_SUBJECT']);
    expect(probe.duplicates).toEqual([]);
  });

  it("knows the retry of an event kept without the device it was sent for (someone else's device), answered like any other", async () => {
    const owner = await test.register(SUPPORT);
    const device = { type: IdentityType.DEVICE, value: test.unique('dev') };
    await test.domain.customers.link(customerOf(owner), owner, device, undefined, Channel.EC);
    const eventId = test.unique('ev');
    expect(await test.domain.touchpoints.track(ANONYMOUS, [view(eventId, { identity: device })])).toEqual({ accepted: 1, duplicates: [], rejected: [] });
    expect(await test.domain.touchpoints.track(ANONYMOUS, [view(eventId, { identity: device })])).toEqual({ accepted: 0, duplicates: [eventId], rejected: [] });
    expect(await kept(eventId)).toBe(1);
    // The stranger took no id from the owner: the owner's own event with that id is the owner's.
    expect(await test.domain.touchpoints.track(customerOf(owner), [view(eventId, { identity: device })])).toEqual({ accepted: 1, duplicates: [], rejected: [] });
    expect(await kept(eventId)).toBe(2);
  });

  it('counts an id kept before subjects were (no subject) as taken for every subject', async () => {
    const ann = await test.register(SUPPORT);
    const eventId = test.unique('ev');
    await test.domain.touchpoints.track(SUPPORT, [view(eventId, { identity: { type: IdentityType.DEVICE, value: test.unique('dev') } })]);
    await test.db.transaction((manager) => manager.getRepository(TouchpointRow).update({ eventId }, { subjectKey: null }));
    expect(await test.domain.touchpoints.track(customerOf(ann), [view(eventId, { customerId: ann })])).toEqual({ accepted: 0, duplicates: [eventId], rejected: [] });
  });
});
