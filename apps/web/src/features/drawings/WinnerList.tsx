import type { DrawingWinner } from '@eventmanager/domain/drawings/schema';
import { formatRegistrationNumber } from './announcement-card.ts';
import styles from './drawings.module.css';

/** Winners after the first, in draw order, each with their registration number. */
export function WinnerList({
  winners,
  masked = false,
}: {
  winners: readonly DrawingWinner[];
  masked?: boolean;
}) {
  return (
    <ol className={styles.winnerList} data-testid="winner-list">
      {winners.map((w) => (
        <li key={w.participant_id}>
          <strong>{masked ? w.participant_name_masked : w.participant_name}</strong>{' '}
          <span className="muted">{formatRegistrationNumber(w.registration_number)}</span>
        </li>
      ))}
    </ol>
  );
}
