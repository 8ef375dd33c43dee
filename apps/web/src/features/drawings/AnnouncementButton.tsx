import type { PrizeDrawing } from '@eventmanager/domain/drawings/schema';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatRegistrationNumber, shareOrDownload } from './announcement-card.ts';
import { useMarkShared } from './drawings.api.ts';

/** Shares the winner card (Web Share API with the PNG) or downloads it; records the share on the server. */
export function AnnouncementButton({ drawing, eventName }: { drawing: PrizeDrawing; eventName: string }) {
  const { t } = useTranslation('drawings');
  const markShared = useMarkShared(drawing.event_id);
  const [outcome, setOutcome] = useState<'shared' | 'downloaded' | null>(null);
  const [busy, setBusy] = useState(false);

  async function share() {
    setBusy(true);
    try {
      const result = await shareOrDownload(
        {
          heading: t('announcement.cardHeading'),
          eventName,
          winnerName: drawing.winner.participant_name,
          winnerNumber: formatRegistrationNumber(drawing.winner.registration_number),
          footer: t('announcement.footer', { hash: drawing.seed_hash.slice(0, 16) }),
        },
        t('announcement.fileName', { number: drawing.winner.registration_number }),
        t('announcement.shareText', {
          event: eventName,
          name: drawing.winner.participant_name,
          number: formatRegistrationNumber(drawing.winner.registration_number),
        }),
      );
      if (result !== 'cancelled') {
        setOutcome(result);
        markShared.mutate(drawing.id);
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="row">
      <button type="button" className="btn btn-secondary btn-sm" disabled={busy} onClick={() => void share()}>
        {t('action.share')}
      </button>
      {outcome && (
        <span className="muted small" role="status">
          {t(`announcement.${outcome}`)}
        </span>
      )}
    </div>
  );
}
