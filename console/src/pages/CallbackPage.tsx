import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { completeOidcSignIn } from '../auth/oidc';
import { useSession, type Session } from '../auth/session';
import type { RuntimeConfig } from '../config';
import { useI18n } from '../i18n';

// The code can be exchanged once: React's development double effects must not try twice.
let completing: Promise<{ session: Session | null; returnTo: string }> | undefined;

/** Where the identity provider sends the browser back with the authorization code. */
export function CallbackPage({ config }: { config: RuntimeConfig }) {
  const { signIn } = useSession();
  const { t } = useI18n();
  const navigate = useNavigate();
  const [failure, setFailure] = useState<string>();

  useEffect(() => {
    if (config.signIn.kind !== 'oidc') return void navigate('/signin', { replace: true });
    completing ??= completeOidcSignIn(config.signIn);
    completing.then(
      ({ session, returnTo }) => {
        completing = undefined;
        if (!session) return setFailure(t('signIn.noRole'));
        signIn(session);
        navigate(returnTo, { replace: true });
      },
      (err: unknown) => {
        completing = undefined;
        setFailure(err instanceof Error ? err.message : String(err));
      },
    );
  }, [config, navigate, signIn, t]);

  return (
    <main id="main" className="sign-in">
      <section className="panel">
        <h1>{t('signIn.title')}</h1>
        {failure ? (
          <>
            <p role="alert">{t('signIn.failed', { reason: failure })}</p>
            <Link to="/signin">{t('signIn.title')}</Link>
          </>
        ) : (
          <p>{t('app.loading')}</p>
        )}
      </section>
    </main>
  );
}
