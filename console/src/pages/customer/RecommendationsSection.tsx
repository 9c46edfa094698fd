import type { ApolloError } from '@apollo/client';
import { useQuery } from '@apollo/client';
import { useSignedIn } from '../../auth/session';
import { StoresDocument } from '../../graphql/generated';
import { useI18n, type MessageKey } from '../../i18n';
import { formatMoney } from '../../lib/format';
import { Section } from './sections';
import type { Customer360 } from './types';

/** For her, here: ranked for this customer in the clerk's store, with her size in stock there. */
export function RecommendationsSection({ recommendations, error }: { recommendations: Customer360['recommendations']; error?: ApolloError }) {
  const session = useSignedIn();
  const { t, locale } = useI18n();
  const stores = useQuery(StoresDocument, { skip: !session.locationId });
  const store = stores.data?.locations.find((l) => l.id === session.locationId);
  const title = session.locationId ? t('customer.recommendations', { store: store?.name ?? '…' }) : t('customer.recommendations.anywhere');
  return (
    <Section id="recommendations" wide title={title} error={error} path="customer.recommendations" absent={!recommendations}>
      {recommendations?.length ? (
        <ul className="cards" data-testid="recommendations">
          {recommendations.map((r, i) => {
            const here = r.variant?.availability.find((a) => a.location.id === session.locationId);
            return (
              <li key={r.product?.id ?? i} className="card">
                <strong>{r.product?.name ?? '—'}</strong>
                <span className="muted">{r.product?.brand}</span>
                <span>{formatMoney(r.product?.price, locale)}</span>
                {r.variant ? (
                  <span data-testid="recommended-variant">
                    {r.variant.size} · {r.variant.color}
                    {here ? <> · <span className="ok" data-testid="stock-here">{t('customer.recommendations.stock', { store: here.location.name, count: here.available })}</span></> : null}
                  </span>
                ) : session.locationId ? (
                  <span className="muted">{t('customer.recommendations.noVariant')}</span>
                ) : null}
                <span className="muted small">{r.reasons.map((reason) => t(`reason.${reason.code}` as MessageKey)).join(' / ')}</span>
              </li>
            );
          })}
        </ul>
      ) : (
        <p>{t('customer.recommendations.none')}</p>
      )}
    </Section>
  );
}
