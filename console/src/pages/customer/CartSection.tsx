import { useMutation, type ApolloError } from '@apollo/client';
import { useState } from 'react';
import { useSignedIn } from '../../auth/session';
import { ChannelBadge } from '../../components/Labels';
import { Dialog } from '../../components/Dialog';
import { Problems, UserErrors } from '../../components/Problems';
import { CheckoutAtTillDocument } from '../../graphql/generated';
import { useI18n, type MessageKey } from '../../i18n';
import { capabilitiesOf } from '../../lib/access';
import { formatDateTime, formatMoney, newKey } from '../../lib/format';
import { Section } from './sections';
import type { Customer360 } from './types';

/** Her one cart (app and web shop), and for a clerk the till: checked out here, carried out, paid in the store. */
export function CartSection({ customer, error, onChanged }: { customer: Customer360; error?: ApolloError; onChanged: () => void }) {
  const session = useSignedIn();
  const can = capabilitiesOf(session);
  const { t, locale } = useI18n();
  const cart = customer.cart;
  const [open, setOpen] = useState(false);
  // One key per checkout attempt: a retry after a lost answer returns the same order.
  const [key, setKey] = useState(() => newKey('till'));
  const [done, setDone] = useState<string>();
  const [checkout, result] = useMutation(CheckoutAtTillDocument, { refetchQueries: ['CustomerOrders'] });
  const lines = cart?.lines ?? [];
  const hasLines = cart?.status === 'ACTIVE' && lines.length > 0;

  const confirm = async () => {
    if (!cart || !session.locationId) return;
    const { data } = await checkout({
      variables: {
        input: { cartId: cart.id, idempotencyKey: key, fulfillment: { type: 'CARRY_OUT', locationId: session.locationId }, payment: { method: 'PAY_AT_STORE' } },
      },
    });
    const order = data?.checkoutCart.order;
    if (order) {
      setDone(t('action.checkout.done', { number: order.number }));
      setOpen(false);
      setKey(newKey('till'));
      onChanged();
    }
  };

  return (
    <Section id="cart" title={t('customer.cart')} error={error} path="customer.cart" absent={cart === undefined}>
      {done ? (
        <p className="success" role="status" data-testid="checkout-done">
          {done}
        </p>
      ) : null}
      {hasLines && cart ? (
        <>
          <p>
            {t('customer.cart.items', { count: cart.itemCount })} · {t('customer.cart.lastChannel')}: <ChannelBadge channel={cart.lastChannel} /> · {formatDateTime(cart.updatedAt, locale)}
          </p>
          <div className="table-wrap">
            <table data-testid="cart-lines">
              <tbody>
                {lines.map((line) => (
                  <tr key={line.id}>
                    <td>
                      {line.product?.name ?? '—'}
                      <div className="muted">{line.variant ? `${line.variant.sku} · ${line.variant.size} · ${line.variant.color}` : null}</div>
                    </td>
                    <td>× {line.quantity}</td>
                    <td>{formatMoney(line.total, locale)}</td>
                    <td>
                      {line.problem ? (
                        <span className="warning" data-problem={line.problem}>
                          {t(`cartProblem.${line.problem}` as MessageKey, { count: line.availableQuantity ?? 0 })}
                        </span>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('customer.cart.subtotal')}</th>
                  <td />
                  <td data-testid="cart-subtotal">{formatMoney(cart.subtotal, locale)}</td>
                  <td className="muted">
                    {t('customer.cart.tax')} {formatMoney(cart.taxTotal, locale)}
                  </td>
                </tr>
              </tfoot>
            </table>
          </div>
          {can.atTheTill && session.locationId ? (
            <button type="button" className="primary" onClick={() => setOpen(true)} data-testid="checkout-open">
              {t('action.checkout')}
            </button>
          ) : null}
          <Dialog open={open} title={t('action.checkout')} onClose={() => setOpen(false)} testId="checkout-dialog">
            <p>{t('action.checkout.confirm', { count: cart.itemCount, total: formatMoney(cart.subtotal, locale) })}</p>
            <Problems error={result.error} />
            <UserErrors errors={result.data?.checkoutCart.userErrors} />
            <div className="buttons">
              <button type="button" onClick={() => setOpen(false)}>
                {t('action.cancel')}
              </button>
              <button type="button" className="primary" disabled={result.loading} onClick={() => void confirm()} data-testid="checkout-confirm">
                {result.loading ? t('action.working') : t('action.checkout')}
              </button>
            </div>
          </Dialog>
        </>
      ) : (
        <p data-testid="cart-empty">{t('customer.cart.none')}</p>
      )}
    </Section>
  );
}
