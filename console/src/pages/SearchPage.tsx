import { useQuery } from '@apollo/client';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useSignedIn } from '../auth/session';
import { Contact, SegmentChips, FormField } from '../components/Labels';
import { Problems } from '../components/Problems';
import { CustomerByIdentityDocument, FindCustomersDocument, type CustomerHitFragment, type IdentityType, type SegmentCode } from '../graphql/generated';
import { useI18n, type MessageKey } from '../i18n';
import { capabilitiesOf } from '../lib/access';
import { detectKind, KINDS, type Kind } from '../lib/search';

const SEGMENTS: SegmentCode[] = ['OMNICHANNEL', 'STORE_ONLY', 'EC_ONLY', 'STORE_BUYER_EC_BROWSER', 'NEW', 'LAPSED', 'VIP', 'CART_ABANDONED'];
const PAGE = 20;

export function SearchPage() {
  const session = useSignedIn();
  const can = capabilitiesOf(session);
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const by = (params.get('by') as Kind | null) ?? 'auto';
  const [text, setText] = useState(q);
  const [kind, setKind] = useState<Kind>(by);
  const [segment, setSegment] = useState<SegmentCode>((by === 'SEGMENT' ? q : 'VIP') as SegmentCode);

  const effective = by === 'auto' ? detectKind(q) : by;
  const byIdentity = effective === 'PHONE' || effective === 'EMAIL' || effective === 'MEMBER_CARD';
  const identity = useQuery(CustomerByIdentityDocument, {
    variables: { type: effective as IdentityType, value: q.normalize('NFKC').trim() },
    skip: !q || !byIdentity,
    fetchPolicy: 'network-only',
  });
  const list = useQuery(FindCustomersDocument, {
    variables: { filter: effective === 'SEGMENT' ? { segment: q as SegmentCode } : { name: q.trim() }, first: PAGE },
    skip: !q || byIdentity,
    fetchPolicy: 'network-only',
  });
  const active = byIdentity ? identity : list;
  const hits: CustomerHitFragment[] = byIdentity
    ? identity.data?.customerByIdentity
      ? [identity.data.customerByIdentity]
      : []
    : (list.data?.customers.edges.map((e) => e.node) ?? []);
  const searched = !!q && !active.loading && (byIdentity ? identity.data !== undefined : list.data !== undefined);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = kind === 'SEGMENT' ? segment : text.trim();
    if (!value) return;
    setParams({ q: value, by: kind });
  };

  return (
    <section className="panel search" aria-labelledby="search-title">
      <h1 id="search-title">{t('search.title')}</h1>
      <form className="search-form" onSubmit={submit} role="search">
        <FormField label={t('search.by')}>
          <select value={kind} onChange={(e) => setKind(e.target.value as Kind)} data-testid="search-kind">
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(k === 'auto' ? 'search.by.auto' : (`search.by.${k}` as MessageKey))}
              </option>
            ))}
          </select>
        </FormField>
        {kind === 'SEGMENT' ? (
          <FormField className="grow" label={t('search.segment')}>
            <select value={segment} onChange={(e) => setSegment(e.target.value as SegmentCode)}>
              {SEGMENTS.map((s) => (
                <option key={s} value={s}>
                  {t(`segment.${s}` as MessageKey)}
                </option>
              ))}
            </select>
          </FormField>
        ) : (
          <FormField className="grow" label={t('search.query')}>
            <input type="search" value={text} onChange={(e) => setText(e.target.value)} autoComplete="off" data-testid="search-input" />
          </FormField>
        )}
        <button type="submit" className="primary">
          {t('search.submit')}
        </button>
      </form>
      <p className="hint">
        {t('search.hint')} {can.masked ? t('search.budget') : null}
      </p>
      <Problems error={active.error} />
      {active.loading ? <p aria-live="polite">{t('app.loading')}</p> : null}
      {searched ? (
        hits.length ? (
          <>
            <h2>{t('search.results', { count: hits.length })}</h2>
            <div className="table-wrap">
              <table data-testid="search-results">
                <thead>
                  <tr>
                    <th scope="col">{t('customer.name')}</th>
                    <th scope="col">{t('customer.kana')}</th>
                    <th scope="col">{t('customer.email')}</th>
                    <th scope="col">{t('customer.phone')}</th>
                    <th scope="col">{t('identity.MEMBER_CARD')}</th>
                    <th scope="col">{t('customer.segments')}</th>
                  </tr>
                </thead>
                <tbody>
                  {hits.map((c) => (
                    <tr key={c.id}>
                      <td>
                        <Link to={`/customers/${encodeURIComponent(c.id)}`}>{c.displayName}</Link>
                      </td>
                      <td>{c.displayNameKana ?? '—'}</td>
                      <td>
                        <Contact value={c.email} />
                      </td>
                      <td>
                        <Contact value={c.phone} />
                      </td>
                      <td>{c.identities.filter((i) => i.type === 'MEMBER_CARD').map((i) => i.value).join(', ') || '—'}</td>
                      <td>
                        <SegmentChips segments={c.segments} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {!byIdentity && list.data?.customers.pageInfo.hasNextPage ? <p className="hint">{t('search.more')}</p> : null}
          </>
        ) : (
          <p data-testid="search-none">{t('search.none')}</p>
        )
      ) : null}
    </section>
  );
}
