import { useQuery } from '@apollo/client';
import { useParams } from 'react-router';
import { useSignedIn } from '../auth/session';
import { Contact, Field, SegmentChips } from '../components/Labels';
import { Problems } from '../components/Problems';
import { Customer360Document } from '../graphql/generated';
import { useI18n, type MessageKey } from '../i18n';
import { capabilitiesOf } from '../lib/access';
import { formatDate, formatDateTime } from '../lib/format';
import { CustomerActions } from './customer/CustomerActions';
import { CartSection } from './customer/CartSection';
import { MergeSection } from './customer/MergeSection';
import { OrdersSection } from './customer/OrdersSection';
import { RecommendationsSection } from './customer/RecommendationsSection';
import { Section } from './customer/sections';
import { SummarySection } from './customer/SummarySection';
import { TouchpointsSection } from './customer/TouchpointsSection';

/** The customer page (360): one person across every channel, with what the role may do for her. */
export function CustomerPage() {
  const { id = '' } = useParams();
  const session = useSignedIn();
  const can = capabilitiesOf(session);
  const { t, locale } = useI18n();
  const store = session.locationId;
  const { data, error, loading, refetch } = useQuery(Customer360Document, {
    variables: {
      id,
      recommendationContext: store ? { locationId: store, channel: 'STORE', inStockOnly: true } : null,
      stockAt: store ? [store] : [],
      tillLocationId: store ?? null,
      withCart: can.cart,
      withMerges: can.merges,
    },
  });
  const customer = data?.customer;

  if (loading && !data) return <p aria-live="polite">{t('app.loading')}</p>;
  if (!customer) {
    return (
      <section className="panel" data-testid="customer-missing">
        <Problems error={error} />
        <p>{t('customer.notFound')}</p>
      </section>
    );
  }
  const reload = () => void refetch();
  if (customer.erasedAt) {
    return (
      <section className="panel" data-testid="customer-erased">
        <p>{t('customer.erased', { at: formatDateTime(customer.erasedAt, locale) })}</p>
      </section>
    );
  }

  return (
    <div className="customer" data-testid="customer-page" data-customer-id={customer.id}>
      <header className="customer-head panel wide">
        <div>
          <h1 data-testid="customer-name">{customer.displayName}</h1>
          {customer.displayNameKana ? <p className="kana">{customer.displayNameKana}</p> : null}
          <p className="presence" data-testid="presence">
            {customer.presence
              ? t('customer.presence.in', { store: customer.presence.location?.name ?? '?', since: formatDateTime(customer.presence.since, locale) })
              : t('customer.presence.none')}
          </p>
          <SegmentChips segments={customer.segments} />
        </div>
        <CustomerActions customer={customer} onChanged={reload} />
      </header>
      <Problems error={error} partial />
      <div className="grid">
        <Section id="profile" title={t('customer.profile')}>
          <dl className="fields">
            <Field label={t('customer.email')}>
              <Contact value={customer.email} testId="customer-email" />
            </Field>
            <Field label={t('customer.phone')}>
              <Contact value={customer.phone} testId="customer-phone" />
            </Field>
            <Field label={t('customer.since')}>{formatDate(customer.createdAt, locale)}</Field>
            {customer.mergedIds.length ? <Field label={t('customer.merged')}>{customer.mergedIds.join(', ')}</Field> : null}
          </dl>
          <h3>{t('customer.identities')}</h3>
          <ul className="identities" data-testid="identities">
            {customer.identities.map((i) => (
              <li key={`${i.type}:${i.value}`} data-type={i.type}>
                <span className="identity-type">{t(`identity.${i.type}` as MessageKey)}</span> <Contact value={i.value} />{' '}
                <span className={i.verified ? 'ok' : 'muted'}>{t(i.verified ? 'customer.identity.verified' : 'customer.identity.unverified')}</span>
              </li>
            ))}
          </ul>
          <h3>{t('customer.consents')}</h3>
          <ul className="consents">
            {customer.consents.map((c) => (
              <li key={c.purpose}>
                {t(`consent.${c.purpose}` as MessageKey)}: <span className={c.granted ? 'ok' : 'muted'}>{t(c.granted ? 'customer.consent.granted' : 'customer.consent.denied')}</span>
              </li>
            ))}
          </ul>
        </Section>
        <SummarySection summary={customer.purchaseSummary} error={error} />
        {can.cart ? <CartSection customer={customer} error={error} onChanged={reload} /> : null}
        <RecommendationsSection recommendations={customer.recommendations} error={error} />
        <OrdersSection customerId={customer.id} />
        <TouchpointsSection customerId={customer.id} />
        {can.merges ? <MergeSection customer={customer} onChanged={reload} /> : null}
      </div>
    </div>
  );
}
