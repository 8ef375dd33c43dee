import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** The share link with copy and a QR code (qrcode is loaded on demand to keep other pages light). */
export function ShareCard({ url, disabledReason }: { url: string; disabledReason?: string | undefined }) {
  const { t } = useTranslation('events');
  const [svg, setSvg] = useState<string>('');
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    let live = true;
    void import('qrcode').then((QR) =>
      QR.toString(url, {
        type: 'svg',
        margin: 1,
        errorCorrectionLevel: 'M',
        color: { dark: '#191f28' },
      }).then((s) => live && setSvg(s)),
    );
    return () => {
      live = false;
    };
  }, [url]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      // Clipboard may be blocked (http, permissions): select the text so the user can copy it.
      document.getElementById('share-url')?.focus();
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };

  return (
    <section className="card stack" aria-labelledby="share-title">
      <h2 id="share-title">{t('detail.share')}</h2>
      {disabledReason && <p className="alert alert-info small">{disabledReason}</p>}
      <div className="row">
        <input
          id="share-url"
          className="input"
          style={{ flex: 1, minWidth: 0 }}
          readOnly
          value={url}
          aria-label={t('detail.shareUrl')}
          onFocus={(e) => e.target.select()}
          data-testid="share-url"
        />
        <button type="button" className="btn btn-secondary" onClick={() => void copy()} aria-live="polite">
          {copied ? t('common:action.copied') : t('common:action.copy')}
        </button>
      </div>
      {svg && (
        <img
          src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`}
          alt={t('detail.qrAlt')}
          width={160}
          height={160}
          style={{ alignSelf: 'center' }}
        />
      )}
    </section>
  );
}
