import type { Event } from '@eventmanager/domain/events/schema';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useRemoveCover, useUploadCover } from '../../api/events.ts';
import { useErrorMessage } from '../../ui/states.tsx';
import styles from './editor.module.css';

const ACCEPT = 'image/jpeg,image/png,image/webp,image/avif,image/gif';

/**
 * The event's cover image: chosen on the phone, uploaded at once and resized by the server
 * (1200×630); shown on the public page and in the e-mails. Only an event that exists can have one.
 */
export function CoverImageField({ event }: { event: Event }) {
  const { t } = useTranslation('cover');
  const id = useId();
  const upload = useUploadCover(event.id);
  const remove = useRemoveCover(event.id);
  const errorMessage = useErrorMessage();
  const cover = event.cover_image;
  const error = upload.error ?? remove.error;
  return (
    <div className="stack" data-testid="cover-field">
      {cover && (
        <img className={styles.cover} src={cover.url} alt={t('preview')} data-testid="cover-preview" />
      )}
      <div className="row">
        <label htmlFor={id} className="btn btn-secondary btn-sm">
          {upload.isPending ? t('uploading') : cover ? t('replace') : t('choose')}
        </label>
        <input
          id={id}
          className="visually-hidden"
          type="file"
          accept={ACCEPT}
          disabled={upload.isPending}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) upload.mutate(file);
            e.target.value = '';
          }}
        />
        {cover && (
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            disabled={remove.isPending}
            onClick={() => remove.mutate()}
          >
            {t('remove')}
          </button>
        )}
      </div>
      <p className="muted small">{t('hint')}</p>
      {error && (
        <p className="alert small" role="alert">
          {errorMessage(error)}
        </p>
      )}
    </div>
  );
}
