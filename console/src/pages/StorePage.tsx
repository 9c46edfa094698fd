import { useMutation, useQuery } from '@apollo/client';
import { Link, useSearchParams } from 'react-router';
import { useSignedIn } from '../auth/session';
import { Missing, Problems, UserErrors } from '../components/Problems';
import { CompletePickupDocument, MarkReadyForPickupDocument, StoreOverviewDocument, StoresDocument, type StoreOverviewQuery } from '../graphql/generated';
import { FormField } from '../components/Labels';
import { useI18n, type MessageKey } from '../i18n';
import { capabilitiesOf } from '../lib/access';
import { formatDate, formatDateTime, formatMoney } from '../lib/format';
import { missingAt } from '../lib/problems';

/** The store page: who is in, pickups waiting, what sells, what is new, and stock that did not add up. */
export function StorePage() {
  const session = useSignedIn();
  const can = capabilitiesOf(session);
  const { t, locale } = useI18n();
  const [params, setParams] = useSearchParams();
  const stores = useQuery(StoresDocument);
  // Store staff see their own store; other roles pick one.
  const locationId = session.locationId ?? params.get('location') ?? stores.data?.locations[0]?.id;
  const { data, error, loading } = useQuery(StoreOverviewDocument, {
    variables: { locationId: locationId ?? '', withPickups: can.pickups },
    skip: !locationId,
  });
  const location = data?.location;

  return (
    <div className="store" data-testid="store-page">
      <header className="panel wide store-head">
        <h1>{location?.name ?? t('nav.store')}</h1>
        {!session.locationId && stores.data ? (
          <FormField label={t('store.choose')}>
            <select value={locationId ?? ''} onChange={(e) => setParams({ location: e.target.value })}>
              {stores.data.locations.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
          </FormField>
        ) : null}
      </header>
      {loading && !data ? <p>{t('app.loading')}</p> : null}
      <Problems error={error ?? stores.error} partial={!!data} />
      {data ? (
        <div className="grid">
          {can.pickups ? <Present customers={data.customersInStore} error={error} /> : null}
          {can.pickups ? <Pickups queue={data.pickupQueue} error={error} /> : null}
          <ProductList id="bestsellers" title={t('store.bestsellers')} products={location?.bestsellers} problem={missingAt(error, 'location.bestsellers') ?? missingAt(error, 'location')} />
          <ProductList id="new-arrivals" title={t('store.newArrivals')} products={location?.newArrivals} problem={missingAt(error, 'location.newArrivals') ?? missingAt(error, 'location')} />
          <section className="panel wide" aria-labelledby="discrepancies-title" data-testid="section-discrepancies">
            <h2 id="discrepancies-title">{t('store.discrepancies')}</h2>
            {data.stockDiscrepancies ? (
              data.stockDiscrepancies.edges.length ? (
                <div className="table-wrap">
                  <table>
                    <tbody>
                      {data.stockDiscrepancies.edges.map(({ node: d }) => (
                        <tr key={d.id}>
                          <td>{formatDateTime(d.occurredAt, locale)}</td>
                          <td>{t(`discrepancy.${d.kind}` as MessageKey)}</td>
                          <td>
                            {d.variant?.product.name ?? '—'} <span className="muted">{d.variant ? `${d.variant.sku} · ${d.variant.size} · ${d.variant.color}` : null}</span>
                          </td>
                          <td className="warning">{t('store.discrepancy.short', { units: d.unitsShort })}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              ) : (
                <p>{t('store.discrepancies.none')}</p>
              )
            ) : (
              <Missing problem={missingAt(error, 'stockDiscrepancies')} />
            )}
          </section>
        </div>
      ) : null}
    </div>
  );
}

type Products = NonNullable<NonNullable<StoreOverviewQuery['location']>['bestsellers']> | NonNullable<NonNullable<StoreOverviewQuery['location']>['newArrivals']>;

function ProductList({ id, title, products, problem }: { id: string; title: string; products: Products | null | undefined; problem: ReturnType<typeof missingAt> }) {
  const { t, locale } = useI18n();
  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-testid={`section-${id}`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {products ? (
        products.length ? (
          <ol className="products">
            {products.map((p) => (
              <li key={p.id}>
                {p.name} <span className="muted">{p.brand}</span> {formatMoney(p.price, locale)}
                {'releasedAt' in p && typeof p.releasedAt === 'string' ? <span className="muted"> · {formatDate(p.releasedAt, locale)}</span> : null}
              </li>
            ))}
          </ol>
        ) : (
          <p>{t('store.none')}</p>
        )
      ) : (
        <Missing problem={problem} />
      )}
    </section>
  );
}

type Queue = StoreOverviewQuery['pickupQueue'];

function Pickups({ queue, error }: { queue: Queue | undefined; error: ReturnType<typeof useQuery>['error'] }) {
  const { t, locale } = useI18n();
  const refetchQueries = ['StoreOverview'];
  const [markReady, ready] = useMutation(MarkReadyForPickupDocument, { refetchQueries });
  const [complete, completed] = useMutation(CompletePickupDocument, { refetchQueries });
  return (
    <section className="panel wide" aria-labelledby="pickups-title" data-testid="section-pickups">
      <h2 id="pickups-title">{t('store.pickups')}</h2>
      <Problems error={ready.error ?? completed.error} />
      <UserErrors errors={ready.data?.markReadyForPickup.userErrors ?? completed.data?.completePickup.userErrors} />
      {queue ? (
        queue.edges.length ? (
          <div className="table-wrap">
            <table data-testid="pickups">
              <tbody>
                {queue.edges.map(({ node: order }) => (
                  <tr key={order.id} data-order-number={order.number}>
                    <td>{order.number}</td>
                    <td>{formatDateTime(order.placedAt, locale)}</td>
                    <td>{order.customer ? <Link to={`/customers/${encodeURIComponent(order.customer.id)}`}>{order.customer.displayName}</Link> : '—'}</td>
                    <td>
                      {order.lines.map((l, i) => (
                        <div key={i}>
                          {l.product?.name ?? l.variant?.sku} × {l.quantity}
                        </div>
                      ))}
                    </td>
                    <td>{formatMoney(order.total, locale)}</td>
                    <td>{t(`orderStatus.${order.status}` as MessageKey)}</td>
                    <td>
                      {order.status === 'PLACED' ? (
                        <button type="button" disabled={ready.loading} onClick={() => void markReady({ variables: { input: { orderId: order.id } } })}>
                          {t('store.pickups.markReady')}
                        </button>
                      ) : order.status === 'READY_FOR_PICKUP' ? (
                        <button type="button" className="primary" disabled={completed.loading} onClick={() => void complete({ variables: { input: { orderId: order.id } } })}>
                          {t('store.pickups.complete')}
                        </button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>{t('store.pickups.none')}</p>
        )
      ) : (
        <Missing problem={missingAt(error, 'pickupQueue')} />
      )}
    </section>
  );
}

/** Who is in the store now (checked in, not expired), the latest first, each opening her page. */
function Present({ customers, error }: { customers: StoreOverviewQuery['customersInStore']; error: Parameters<typeof missingAt>[0] }) {
  const { t, locale } = useI18n();
  return (
    <section className="panel" aria-labelledby="present-title" data-testid="section-present">
      <h2 id="present-title">{t('store.present')}</h2>
      {customers ? (
        customers.length ? (
          <ul>
            {customers.map((c) => (
              <li key={c.id}>
                <Link to={`/customers/${encodeURIComponent(c.id)}`}>{c.displayName}</Link>{' '}
                <span className="muted">{c.presence ? formatDateTime(c.presence.since, locale) : null}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('store.present.none')}</p>
        )
      ) : (
        <Missing problem={missingAt(error, 'customersInStore')} />
      )}
    </section>
  );
}
