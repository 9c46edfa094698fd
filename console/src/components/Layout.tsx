import { useQuery } from '@apollo/client';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { endOidcSession } from '../auth/oidc';
import { useSignedIn, useSession } from '../auth/session';
import type { RuntimeConfig } from '../config';
import { StoresDocument } from '../graphql/generated';
import { useI18n } from '../i18n';
import { capabilitiesOf } from '../lib/access';

export function Layout({ config }: { config: RuntimeConfig }) {
  const session = useSignedIn();
  const { signOut } = useSession();
  const { t, language, setLanguage } = useI18n();
  const navigate = useNavigate();
  const can = capabilitiesOf(session);
  const stores = useQuery(StoresDocument, { skip: !session.locationId });
  const store = stores.data?.locations.find((l) => l.id === session.locationId);

  const leave = async () => {
    if (config.signIn.kind === 'oidc') await endOidcSession(config.signIn).catch(() => undefined);
    signOut();
    navigate('/signin', { replace: true });
  };

  return (
    <>
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className="top">
        <span className="brand">{t('app.title')}</span>
        <nav aria-label={t('nav.main')}>
          <ul>
            {can.search ? (
              <li>
                <NavLink to="/search">{t('nav.search')}</NavLink>
              </li>
            ) : null}
            {can.storePage ? (
              <li>
                <NavLink to="/store">{t('nav.store')}</NavLink>
              </li>
            ) : null}
            {can.analysis ? (
              <li>
                <NavLink to="/analysis">{t('nav.analysis')}</NavLink>
              </li>
            ) : null}
          </ul>
        </nav>
        <div className="who" data-testid="who">
          <span className="badge" data-role={session.role}>
            {t(`role.${session.role}`)}
          </span>
          {store ? <span className="store-name">{store.name}</span> : null}
        </div>
        <div className="language" role="group" aria-label={t('nav.language')}>
          <button type="button" aria-pressed={language === 'ja'} onClick={() => setLanguage('ja')} lang="ja">
            日本語
          </button>
          <button type="button" aria-pressed={language === 'en'} onClick={() => setLanguage('en')} lang="en">
            English
          </button>
        </div>
        <button type="button" className="sign-out" onClick={() => void leave()}>
          {t('nav.signOut')}
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
