import { useQuery } from '@apollo/client';
import { useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { developmentSignIn } from '../auth/development';
import { beginOidcSignIn } from '../auth/oidc';
import { STAFF_ROLES, useSession, type StaffRole } from '../auth/session';
import type { RuntimeConfig } from '../config';
import { StoresDocument } from '../graphql/generated';
import { FormField } from '../components/Labels';
import { useI18n } from '../i18n';
import { homeOf } from '../lib/access';

export function SignInPage({ config }: { config: RuntimeConfig }) {
  const { session, signIn, endedBecause } = useSession();
  const { t, language, setLanguage } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const returnTo = (location.state as { returnTo?: string } | null)?.returnTo;
  const [role, setRole] = useState<StaffRole>('STORE_STAFF');
  const [storeId, setStoreId] = useState('');
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const development = config.signIn.kind === 'development';
  const stores = useQuery(StoresDocument, { skip: !development });

  if (session) return <Navigate to={returnTo ?? homeOf(session)} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(undefined);
    try {
      if (config.signIn.kind === 'oidc') {
        await beginOidcSignIn(config.signIn, returnTo ?? '/');
        return;
      }
      const next = await developmentSignIn(role, role === 'STORE_STAFF' ? storeId : undefined);
      signIn(next);
      navigate(returnTo ?? homeOf(next), { replace: true });
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="sign-in">
      <div className="language" role="group" aria-label={t('nav.language')}>
        <button type="button" aria-pressed={language === 'ja'} onClick={() => setLanguage('ja')} lang="ja">
          日本語
        </button>
        <button type="button" aria-pressed={language === 'en'} onClick={() => setLanguage('en')} lang="en">
          English
        </button>
      </div>
      <form className="panel" onSubmit={(e) => void submit(e)} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">
          {t('app.title')} — {t('signIn.title')}
        </h1>
        {endedBecause === 'expired' ? <p role="alert">{t('signIn.expired')}</p> : null}
        {development ? (
          <>
            <p className="hint">{t('signIn.development')}</p>
            <fieldset>
              <legend>{t('signIn.role')}</legend>
              {STAFF_ROLES.map((r) => (
                <label key={r} className="choice">
                  <input type="radio" name="role" value={r} checked={role === r} onChange={() => setRole(r)} />
                  {t(`role.${r}`)}
                </label>
              ))}
            </fieldset>
            {role === 'STORE_STAFF' ? (
              <FormField label={t('signIn.store')}>
                <select value={storeId} onChange={(e) => setStoreId(e.target.value)} required>
                  <option value="">{t('signIn.chooseStore')}</option>
                  {stores.data?.locations.map((l) => (
                    <option key={l.id} value={l.id}>
                      {l.name}
                    </option>
                  ))}
                </select>
              </FormField>
            ) : null}
            {stores.error && !stores.data ? <p role="alert">{t('signIn.storesUnavailable')}</p> : null}
            <button type="submit" className="primary" disabled={busy || (role === 'STORE_STAFF' && !storeId)}>
              {t('signIn.submit')}
            </button>
          </>
        ) : (
          <>
            <p className="hint">{t('signIn.oidcHint')}</p>
            <button type="submit" className="primary" disabled={busy}>
              {t('signIn.oidc')}
            </button>
          </>
        )}
        {failure ? <p role="alert">{t('signIn.failed', { reason: failure })}</p> : null}
      </form>
    </main>
  );
}
