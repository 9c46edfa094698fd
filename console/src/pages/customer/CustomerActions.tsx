import { useApolloClient, useMutation } from '@apollo/client';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useSignedIn } from '../../auth/session';
import { Dialog } from '../../components/Dialog';
import { Problems, UserErrors } from '../../components/Problems';
import { CheckInDocument, EraseCustomerDocument, ExportCustomerDataDocument, LinkIdentityDocument } from '../../graphql/generated';
import { FormField } from '../../components/Labels';
import { useI18n } from '../../i18n';
import { capabilitiesOf } from '../../lib/access';
import type { Customer360 } from './types';

/** What the signed-in role may do for her; the graph decides, the console offers only what it would allow. */
export function CustomerActions({ customer, onChanged }: { customer: Customer360; onChanged: () => void }) {
  const session = useSignedIn();
  const can = capabilitiesOf(session);
  const { t } = useI18n();
  const [status, setStatus] = useState<string>();
  const [dialog, setDialog] = useState<'card' | 'erase'>();
  const [checkIn, checkInResult] = useMutation(CheckInDocument, { refetchQueries: ['CustomerTouchpoints'] });
  const client = useApolloClient();
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string>();

  const doCheckIn = async () => {
    const { data } = await checkIn({ variables: { input: { customerId: customer.id, locationId: session.locationId!, method: 'STAFF' } } });
    const presence = data?.checkIn.presence;
    if (presence) {
      setStatus(t('action.checkIn.done', { store: presence.location?.name ?? '' }));
      onChanged();
    }
  };

  const doExport = async () => {
    setExporting(true);
    setExportError(undefined);
    try {
      const { data, error } = await client.query({ query: ExportCustomerDataDocument, variables: { id: customer.id }, fetchPolicy: 'no-cache' });
      if (!data?.exportCustomerData) throw new Error(error?.message ?? t('action.failed'));
      const blob = new Blob([JSON.stringify(data.exportCustomerData, null, 2)], { type: 'application/json' });
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `customer-${customer.id}-export.json`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setStatus(t('action.export.done'));
    } catch (err) {
      setExportError(err instanceof Error ? err.message : String(err));
    } finally {
      setExporting(false);
    }
  };

  if (!can.atTheTill && !can.exportData && !can.erase) return null;
  return (
    <div className="actions" aria-label={t('customer.actions')} role="group">
      {can.atTheTill && session.locationId ? (
        <>
          <button type="button" onClick={() => void doCheckIn()} disabled={checkInResult.loading} data-testid="check-in">
            {t('action.checkIn')}
          </button>
          <button type="button" onClick={() => setDialog('card')} data-testid="link-card">
            {t('action.linkCard')}
          </button>
        </>
      ) : null}
      {can.exportData ? (
        <button type="button" onClick={() => void doExport()} disabled={exporting} data-testid="export">
          {t('action.export')}
        </button>
      ) : null}
      {can.erase ? (
        <button type="button" className="danger" onClick={() => setDialog('erase')} data-testid="erase">
          {t('action.erase')}
        </button>
      ) : null}
      {status ? (
        <p className="success" role="status" data-testid="action-status">
          {status}
        </p>
      ) : null}
      {exportError ? <p role="alert">{exportError}</p> : null}
      <Problems error={checkInResult.error} />
      <UserErrors errors={checkInResult.data?.checkIn.userErrors} />
      {dialog === 'card' ? <LinkCardDialog customer={customer} onClose={() => setDialog(undefined)} onDone={(message) => (setStatus(message), onChanged())} /> : null}
      {dialog === 'erase' ? <EraseDialog customer={customer} onClose={() => setDialog(undefined)} /> : null}
    </div>
  );
}

function LinkCardDialog({ customer, onClose, onDone }: { customer: Customer360; onClose: () => void; onDone: (message: string) => void }) {
  const { t } = useI18n();
  const [card, setCard] = useState('');
  const [verified, setVerified] = useState(true);
  const [link, result] = useMutation(LinkIdentityDocument);
  const submit = async () => {
    const { data } = await link({ variables: { input: { customerId: customer.id, identity: { type: 'MEMBER_CARD', value: card.normalize('NFKC').trim() }, verified } } });
    if (data?.linkIdentity.customer && !data.linkIdentity.userErrors.length) {
      onDone(t('action.linkCard.done'));
      onClose();
    }
  };
  return (
    <Dialog open title={t('action.linkCard')} onClose={onClose} testId="link-card-dialog">
      <FormField label={t('action.linkCard.number')}>
        <input value={card} onChange={(e) => setCard(e.target.value)} placeholder="MC-0000000000" autoComplete="off" />
      </FormField>
      <label className="choice">
        <input type="checkbox" checked={verified} onChange={(e) => setVerified(e.target.checked)} />
        {t('action.linkCard.verified')}
      </label>
      <Problems error={result.error} />
      <UserErrors errors={result.data?.linkIdentity.userErrors} />
      <div className="buttons">
        <button type="button" onClick={onClose}>
          {t('action.cancel')}
        </button>
        <button type="button" className="primary" disabled={!card.trim() || result.loading} onClick={() => void submit()}>
          {t('action.linkCard')}
        </button>
      </div>
    </Dialog>
  );
}

/** Erasure names the person and asks for her name back: nobody erases the wrong customer by a slip. */
function EraseDialog({ customer, onClose }: { customer: Customer360; onClose: () => void }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [typed, setTyped] = useState('');
  const [erase, result] = useMutation(EraseCustomerDocument);
  const matches = typed.normalize('NFKC').trim() === customer.displayName.normalize('NFKC').trim();
  const submit = async () => {
    const { data } = await erase({ variables: { input: { customerId: customer.id } } });
    if (data?.eraseCustomer.customer && !data.eraseCustomer.userErrors.length) navigate('/search', { replace: true, state: { erased: customer.id } });
  };
  return (
    <Dialog open title={t('action.erase')} onClose={onClose} testId="erase-dialog">
      <p className="warning" data-testid="erase-warning">
        {t('action.erase.warning', { name: customer.displayName })}
      </p>
      <FormField label={<>{t('action.erase.typeName', { name: customer.displayName })}</>}>
        <input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" data-testid="erase-name" />
      </FormField>
      <Problems error={result.error} />
      <UserErrors errors={result.data?.eraseCustomer.userErrors} />
      <div className="buttons">
        <button type="button" onClick={onClose}>
          {t('action.cancel')}
        </button>
        <button type="button" className="danger" disabled={!matches || result.loading} onClick={() => void submit()} data-testid="erase-confirm">
          {t('action.erase.confirm')}
        </button>
      </div>
    </Dialog>
  );
}
