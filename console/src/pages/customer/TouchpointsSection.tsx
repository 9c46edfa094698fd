import { useQuery } from '@apollo/client';
import { useState } from 'react';
import { ChannelBadge } from '../../components/Labels';
import { Missing, Problems } from '../../components/Problems';
import { CustomerTouchpointsDocument } from '../../graphql/generated';
import { useI18n, type MessageKey } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { missingAt } from '../../lib/problems';

const PAGE = 15;

/** Every channel on one timeline, newest first: what kind of touchpoint, in which channel, at a glance. */
export function TouchpointsSection({ customerId }: { customerId: string }) {
  const { t, locale } = useI18n();
  // Cursors of the pages seen so far: "previous" goes back one.
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const after = cursors[cursors.length - 1];
  const { data, error, loading } = useQuery(CustomerTouchpointsDocument, { variables: { id: customerId, first: PAGE, after } });
  const touchpoints = data?.customer?.touchpoints;
  return (
    <section className="panel wide" aria-labelledby="touchpoints-title" data-testid="section-touchpoints">
      <h2 id="touchpoints-title">{t('customer.touchpoints')}</h2>
      {loading && !data ? <p>{t('app.loading')}</p> : null}
      {!loading && !touchpoints ? <Missing problem={missingAt(error, 'customer.touchpoints') ?? missingAt(error, 'customer')} /> : null}
      {touchpoints ? (
        <>
          <Problems error={error} partial />
          {touchpoints.edges.length ? (
            <ol className="timeline" data-testid="touchpoints">
              {touchpoints.edges.map(({ node }) => (
                <li key={node.id} data-type={node.type} data-channel={node.channel}>
                  <span className="type" data-type={node.type}>{t(`touchpoint.${node.type}` as MessageKey)}</span>
                  <ChannelBadge channel={node.channel} />
                  <time dateTime={node.occurredAt}>{formatDateTime(node.occurredAt, locale)}</time>
                  <span className="detail">{node.product?.name ?? (node.query ? `“${node.query}”` : '')}{node.location ? ` ${node.location.name}` : ''}</span>
                </li>
              ))}
            </ol>
          ) : (
            <p>{t('customer.touchpoints.none')}</p>
          )}
          <div className="pager">
            <button type="button" disabled={cursors.length === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
              {t('pager.previous')}
            </button>
            <span>{t('pager.page', { page: cursors.length })}</span>
            <button
              type="button"
              disabled={!touchpoints.pageInfo.hasNextPage || !touchpoints.pageInfo.endCursor}
              onClick={() => setCursors((c) => [...c, touchpoints.pageInfo.endCursor!])}
              data-testid="touchpoints-next"
            >
              {t('pager.next')}
            </button>
          </div>
        </>
      ) : null}
    </section>
  );
}
