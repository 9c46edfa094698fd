import { useMutation, useQuery } from '@apollo/client';
import { useState } from 'react';
import { useSignedIn } from '../../auth/session';
import { ChannelBadge, FormField } from '../../components/Labels';
import { Dialog } from '../../components/Dialog';
import { Missing, Problems, UserErrors } from '../../components/Problems';
import { CreateReturnDocument, CustomerOrdersDocument, type CustomerOrdersQuery } from '../../graphql/generated';
import { useI18n, type MessageKey } from '../../i18n';
import { capabilitiesOf } from '../../lib/access';
import { formatDateTime, formatMoney } from '../../lib/format';
import { missingAt } from '../../lib/problems';

const PAGE = 10;
type OrderNode = NonNullable<NonNullable<CustomerOrdersQuery['customer']>['orders']>['edges'][number]['node'];

/** Her orders of every channel, newest first; pages added below as the clerk asks for more. */
export function OrdersSection({ customerId }: { customerId: string }) {
  const { t } = useI18n();
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const [returning, setReturning] = useState<OrderNode>();
  return (
    <section className="panel wide" aria-labelledby="orders-title" data-testid="section-orders">
      <h2 id="orders-title">{t('customer.orders')}</h2>
      <div className="table-wrap">
        <table data-testid="orders">
          <thead>
            <tr>
              <th scope="col">{t('customer.order.placedAt')}</th>
              <th scope="col">{t('customer.order.number')}</th>
              <th scope="col">{t('customer.order.channel')}</th>
              <th scope="col">{t('customer.order.store')}</th>
              <th scope="col">{t('customer.order.items')}</th>
              <th scope="col">{t('customer.order.total')}</th>
              <th scope="col">{t('customer.order.status')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('customer.actions')}</span>
              </th>
            </tr>
          </thead>
          {cursors.map((after, index) => (
            <OrdersPage
              key={after ?? 'first'}
              customerId={customerId}
              after={after}
              last={index === cursors.length - 1}
              onMore={(next) => setCursors((c) => [...c, next])}
              onReturn={setReturning}
            />
          ))}
        </table>
      </div>
      {returning ? <ReturnDialog order={returning} onClose={() => setReturning(undefined)} /> : null}
    </section>
  );
}

function OrdersPage({ customerId, after, last, onMore, onReturn }: { customerId: string; after: string | null; last: boolean; onMore: (cursor: string) => void; onReturn: (order: OrderNode) => void }) {
  const session = useSignedIn();
  const can = capabilitiesOf(session);
  const { t, locale } = useI18n();
  const { data, error, loading } = useQuery(CustomerOrdersDocument, { variables: { id: customerId, first: PAGE, after } });
  const orders = data?.customer?.orders;
  if (loading && !data) {
    return (
      <tbody>
        <tr>
          <td colSpan={8}>{t('app.loading')}</td>
        </tr>
      </tbody>
    );
  }
  if (!orders) {
    return (
      <tbody>
        <tr>
          <td colSpan={8}>
            <Missing problem={missingAt(error, 'customer.orders') ?? missingAt(error, 'customer')} />
          </td>
        </tr>
      </tbody>
    );
  }
  return (
    <tbody>
      {error ? (
        <tr>
          <td colSpan={8}>
            <Problems error={error} partial />
          </td>
        </tr>
      ) : null}
      {!after && !orders.edges.length ? (
        <tr>
          <td colSpan={8}>{t('customer.orders.none')}</td>
        </tr>
      ) : null}
      {orders.edges.map(({ node: order }) => (
        <tr key={order.id} data-order-number={order.number}>
          <td>{formatDateTime(order.placedAt, locale)}</td>
          <td className="nowrap">{order.number}</td>
          <td>
            <ChannelBadge channel={order.channel} />
          </td>
          <td>{order.location?.name ?? '—'}</td>
          <td>
            {order.lines.map((l, i) => (
              <div key={i}>
                {l.product?.name ?? l.variant?.sku ?? '—'} × {l.quantity}
              </div>
            ))}
          </td>
          <td className="nowrap">{formatMoney(order.total, locale)}</td>
          <td className="nowrap">{t(`orderStatus.${order.status}` as MessageKey)}</td>
          <td className="nowrap">
            {can.atTheTill && order.status === 'COMPLETED' ? (
              <button type="button" onClick={() => onReturn(order)}>
                {t('action.return')}
              </button>
            ) : null}
          </td>
        </tr>
      ))}
      {last && orders.pageInfo.hasNextPage && orders.pageInfo.endCursor ? (
        <tr>
          <td colSpan={8}>
            <button type="button" onClick={() => onMore(orders.pageInfo.endCursor!)} data-testid="orders-more">
              {t('pager.more')}
            </button>
          </td>
        </tr>
      ) : null}
    </tbody>
  );
}

/** A return at the clerk's store: which units of which lines come back, and why. */
function ReturnDialog({ order, onClose }: { order: OrderNode; onClose: () => void }) {
  const session = useSignedIn();
  const { t, locale } = useI18n();
  const [quantities, setQuantities] = useState<number[]>(() => order.lines.map(() => 0));
  const [reason, setReason] = useState('');
  const [createReturn, result] = useMutation(CreateReturnDocument, { refetchQueries: ['CustomerOrders', 'Customer360'] });
  const done = result.data?.createReturn.return;
  const submit = () =>
    void createReturn({
      variables: {
        input: {
          orderId: order.id,
          locationId: session.locationId!,
          reason: reason || null,
          lines: order.lines.flatMap((l, i) => (l.variant && quantities[i] > 0 ? [{ variantId: l.variant.id, quantity: quantities[i] }] : [])),
        },
      },
    });
  return (
    <Dialog open title={`${t('action.return')} — ${order.number}`} onClose={onClose} testId="return-dialog">
      {done ? (
        <p className="success" role="status">
          {t('action.return.done', { refund: formatMoney(done.refundTotal, locale) })}
        </p>
      ) : (
        <>
          {order.lines.map((l, i) => (
            <FormField key={i} label={<>{l.product?.name ?? l.variant?.sku} ({t('action.return.quantity')})</>}>
              <input
                type="number"
                min={0}
                max={l.quantity}
                value={quantities[i]}
                onChange={(e) => setQuantities((q) => q.map((v, j) => (j === i ? Math.max(0, Math.min(l.quantity, Number(e.target.value))) : v)))}
              />
            </FormField>
          ))}
          <FormField label={t('action.return.reason')}>
            <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} />
          </FormField>
          <Problems error={result.error} />
          <UserErrors errors={result.data?.createReturn.userErrors} />
          <div className="buttons">
            <button type="button" onClick={onClose}>
              {t('action.cancel')}
            </button>
            <button type="button" className="primary" disabled={result.loading || quantities.every((q) => q === 0)} onClick={submit}>
              {t('action.return')}
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}
