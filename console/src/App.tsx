import { ApolloProvider } from '@apollo/client';
import { useMemo, useRef, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { SessionProvider, useSession } from './auth/session';
import { Layout } from './components/Layout';
import type { RuntimeConfig } from './config';
import { useI18n } from './i18n';
import { capabilitiesOf, homeOf, type Capabilities } from './lib/access';
import { createApolloClient } from './lib/apollo';
import { AnalysisPage } from './pages/AnalysisPage';
import { CallbackPage } from './pages/CallbackPage';
import { CustomerPage } from './pages/CustomerPage';
import { SearchPage } from './pages/SearchPage';
import { SignInPage } from './pages/SignInPage';
import { StorePage } from './pages/StorePage';

export function App({ config }: { config: RuntimeConfig }) {
  return (
    <SessionProvider>
      <GraphClient config={config}>
        <BrowserRouter>
          <Routes>
            <Route path="/signin" element={<SignInPage config={config} />} />
            <Route path="/callback" element={<CallbackPage config={config} />} />
            <Route
              element={
                <RequireSession>
                  <Layout config={config} />
                </RequireSession>
              }
            >
              <Route index element={<Home />} />
              <Route path="search" element={<SearchPage />} />
              <Route path="customers/:id" element={<CustomerPage />} />
              <Route path="store" element={<Allowed capability="storePage"><StorePage /></Allowed>} />
              <Route path="analysis" element={<Allowed capability="analysis"><AnalysisPage /></Allowed>} />
              <Route path="*" element={<NotFound />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </GraphClient>
    </SessionProvider>
  );
}

/** One Apollo client; each request carries the current session's token, and a refused token ends the session. */
function GraphClient({ config, children }: { config: RuntimeConfig; children: ReactNode }) {
  const { session, signOut } = useSession();
  const token = useRef<string | undefined>(undefined);
  token.current = session?.token;
  const ended = useRef(signOut);
  ended.current = signOut;
  const client = useMemo(
    () => createApolloClient(config.graphqlUrl, () => token.current, () => (token.current ? ended.current('expired') : undefined)),
    [config.graphqlUrl],
  );
  // Whoever signs in next sees nothing of the previous person's answers.
  const previous = useRef(session?.token);
  if (previous.current !== session?.token) {
    previous.current = session?.token;
    void client.clearStore();
  }
  return <ApolloProvider client={client}>{children}</ApolloProvider>;
}

function RequireSession({ children }: { children: ReactNode }) {
  const { session } = useSession();
  const location = useLocation();
  if (!session) return <Navigate to="/signin" replace state={{ returnTo: location.pathname + location.search }} />;
  return <>{children}</>;
}

function Home() {
  const { session } = useSession();
  return <Navigate to={homeOf(session!)} replace />;
}

/** A page the role cannot use says so (the graph would refuse its data anyway). */
function Allowed({ capability, children }: { capability: keyof Capabilities; children: ReactNode }) {
  const { session } = useSession();
  const { t } = useI18n();
  if (!capabilitiesOf(session!)[capability]) {
    return (
      <section className="panel" data-testid="not-allowed">
        <h1>{t('notAllowed.title')}</h1>
        <p>{t('notAllowed.body', { role: t(`role.${session!.role}`) })}</p>
      </section>
    );
  }
  return <>{children}</>;
}

function NotFound() {
  const { t } = useI18n();
  return (
    <section className="panel">
      <h1>{t('notFound.title')}</h1>
    </section>
  );
}
