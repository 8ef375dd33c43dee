import type { PrizeDrawing } from '@eventmanager/domain/drawings/schema';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatRegistrationNumber, shareOrDownload } from './announcement-card.ts';
import { useMarkShared } from './drawings.api.ts';

/**
 * Shares the winner card (Web Share API with the PNG) or downloads it; records the share on the
 * server. The card leaves the organizer's hands, so it carries masked names (박*호).
 */
export function AnnouncementButton({ drawing, eventName }: { drawing: PrizeDrawing; eventName: string }) {
  const { t } = useTranslation('drawings');
  const markShared = useMarkShared(drawing.event_id);
  const [outcome, setOutcome] = useState<'shared' | 'downloaded' | null>(null);
  const [busy, setBusy] = useState(false);

  async function share() {
    setBusy(true);
    const names = drawing.winners.map((w) => w.participant_name_masked);
    const numbers = drawing.winners.map((w) => formatRegistrationNumber(w.registration_number));
    try {
      const result = await shareOrDownload(
        {
          heading: drawing.prize ?? t('announcement.cardHeading'),
          eventName,
          winnerName: names.join(' · '),
          winnerNumber: numbers.join(' '),
          footer: t('announcement.footer', { hash: drawing.seed_hash.slice(0, 16) }),
        },
        t('announcement.fileName', { number: drawing.winner.registration_number }),
        names.length === 1
          ? t('announcement.shareText', { event: eventName, name: names[0], number: numbers[0] })
          : t('announcement.shareTextMany', {
              event: eventName,
              prize: drawing.prize ?? t('announcement.defaultPrize'),
              names: names.map((n, i) => `${n} (${numbers[i]})`).join(', '),
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
