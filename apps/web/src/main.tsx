import { StrictMode, startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import './i18n/index.ts';
// Self-hosted Korean font (unicode-range subsets: a page downloads only the glyph ranges it shows).
import 'pretendard/dist/web/variable/pretendardvariable-dynamic-subset.css';
import './styles/global.css';
import { App } from './app/App.tsx';

// zod probes whether it may compile validators with `new Function`; the Content-Security-Policy
// forbids eval, and the probe alone would be reported as a violation. Interpreted validation is
// fast enough for forms.
z.config({ jitless: true });

const root = document.getElementById('root');
if (root) {
  // A transition lets React render the first screen in small slices instead of one long task,
  // so a slow phone stays responsive while the app starts.
  startTransition(() => {
    createRoot(root).render(
      <StrictMode>
        <App />
      </StrictMode>,
    );
  });
}
