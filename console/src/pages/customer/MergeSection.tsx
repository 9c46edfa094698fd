import { useLazyQuery, useMutation } from '@apollo/client';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Contact, FormField } from '../../components/Labels';
import { Problems, UserErrors } from '../../components/Problems';
import { MergeCustomersDocument, MergePreviewDocument, UnmergeCustomersDocument } from '../../graphql/generated';
import { useI18n, type MessageKey } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import type { Customer360 } from './types';

/** Support and admins: merge a duplicate record into this one after seeing what would move, and undo a merge. */
export function MergeSection({ customer, onChanged }: { customer: Customer360; onChanged: () => void }) {
  const { t, locale } = useI18n();
  const [mergedId, setMergedId] = useState('');
  const [preview, previewResult] = useLazyQuery(MergePreviewDocument, { fetchPolicy: 'network-only' });
  const [merge, mergeResult] = useMutation(MergeCustomersDocument);
  const [unmerge, unmergeResult] = useMutation(UnmergeCustomersDocument);
  const [status, setStatus] = useState<string>();
  const shown = previewResult.data?.previewCustomerMerge;

  const ask = (event: FormEvent) => {
    event.preventDefault();
    setStatus(undefined);
    void preview({ variables: { survivorId: customer.id, mergedId: mergedId.trim() } });
  };
  const confirm = async () => {
    const { data } = await merge({ variables: { input: { survivorId: customer.id, mergedId: mergedId.trim() } } });
    if (data?.mergeCustomers.merge) {
      setStatus(t('action.merge.done'));
      setMergedId('');
      onChanged();
    }
  };
  const undo = async (mergeId: string) => {
    const { data } = await unmerge({ variables: { input: { mergeId } } });
    if (data?.unmergeCustomers.merge) {
      setStatus(t('action.unmerge.done'));
      onChanged();
    }
  };

  return (
    <section className="panel wide" aria-labelledby="merges-title" data-testid="section-merges">
      <h2 id="merges-title">{t('customer.merges')}</h2>
      {status ? (
        <p className="success" role="status" data-testid="merge-status">
          {status}
        </p>
      ) : null}
      {customer.merges?.length ? (
        <ul className="merges" data-testid="merge-records">
          {customer.merges.map((m) => (
            <li key={m.id}>
              <Link to={`/customers/${encodeURIComponent(m.mergedId)}`}>{m.mergedId}</Link> · {formatDateTime(m.mergedAt, locale)}
              {m.unmergedAt ? (
                <span className="muted"> · {formatDateTime(m.unmergedAt, locale)}</span>
              ) : m.survivorId === customer.id ? (
                <button type="button" onClick={() => void undo(m.id)} disabled={unmergeResult.loading}>
                  {t('action.unmerge')}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      <Problems error={unmergeResult.error} />
      <UserErrors errors={unmergeResult.data?.unmergeCustomers.userErrors} />
      <form onSubmit={ask} className="inline-form">
        <FormField className="grow" label={t('action.merge.mergedId')}>
          <input value={mergedId} onChange={(e) => setMergedId(e.target.value)} autoComplete="off" data-testid="merge-id" />
        </FormField>
        <button type="submit" disabled={!mergedId.trim() || previewResult.loading} data-testid="merge-preview">
          {t('action.merge.preview')}
        </button>
      </form>
      <Problems error={previewResult.error} />
      {shown && shown.merged.id === mergedId.trim() ? (
        <div className="preview" data-testid="merge-preview-result">
          <h3>{t('action.merge.previewTitle', { merged: shown.merged.displayName, survivor: shown.survivor.displayName })}</h3>
          <p>
            <Contact value={shown.merged.email} /> · <Contact value={shown.merged.phone} />
          </p>
          <p>{t('action.merge.counts', { touchpoints: shown.touchpointsMoving, orders: shown.ordersMoving, addresses: shown.addressesMoving })}</p>
          <h4>{t('action.merge.identities')}</h4>
          <ul>
            {shown.identitiesMoving.map((i) => (
              <li key={`${i.type}:${i.value}`}>
                {t(`identity.${i.type}` as MessageKey)} <Contact value={i.value} />
              </li>
            ))}
          </ul>
          <h4>{t('action.merge.conflicts')}</h4>
          {shown.conflicts.length ? (
            <ul>
              {shown.conflicts.map((c) => (
                <li key={c.field}>
                  {c.field}: {c.survivorValue ?? '—'} / {c.mergedValue ?? '—'} → {c.resolution}
                </li>
              ))}
            </ul>
          ) : (
            <p>{t('action.merge.noConflicts')}</p>
          )}
          <Problems error={mergeResult.error} />
          <UserErrors errors={mergeResult.data?.mergeCustomers.userErrors} />
          <button type="button" className="primary" onClick={() => void confirm()} disabled={mergeResult.loading} data-testid="merge-confirm">
            {t('action.merge.confirm')}
          </button>
        </div>
      ) : null}
    </section>
  );
}
