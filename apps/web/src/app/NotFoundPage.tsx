import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState } from '../ui/states.tsx';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <main className="page">
      <EmptyState
        icon="compass"
        title={t('notFound.title')}
        body={t('notFound.body')}
        action={
          <Link className="btn" to="/">
            {t('notFound.home')}
          </Link>
        }
      />
    </main>
  );
}
