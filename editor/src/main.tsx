import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { App } from './App';
import { createI18n, initialLanguage, setLanguage } from './i18n';
import './styles/base.css';
import './styles/editor.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

const i18n = createI18n({ document });

// A browser set to another language loads its messages before the first
// paint, so nobody sees English flash by (English is bundled).
const render = (): void =>
  createRoot(container).render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <App />
      </I18nextProvider>
    </StrictMode>,
  );
setLanguage(i18n, initialLanguage()).then(render, render);
