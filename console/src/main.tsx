import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { loadRuntimeConfig } from './config';
import { I18nProvider } from './i18n';
import './styles.css';

const root = createRoot(document.getElementById('root')!);

loadRuntimeConfig().then(
  (config) =>
    root.render(
      <StrictMode>
        <I18nProvider>
          <App config={config} />
        </I18nProvider>
      </StrictMode>,
    ),
  (err: unknown) => root.render(<p role="alert">The console cannot start: {err instanceof Error ? err.message : String(err)}</p>),
);
