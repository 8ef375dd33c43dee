import type { ReactNode } from 'react';
import styles from './auth.module.css';

export function AuthCard({
  title,
  subtitle,
  children,
}: {
  title: string;
  subtitle?: string;
  children: ReactNode;
}) {
  return (
    <main className={styles.wrap}>
      <div className={styles.brand}>
        <img src="/icons/icon-192.png" alt="" width={56} height={56} />
      </div>
      <h1 className={styles.title}>{title}</h1>
      {subtitle && <p className={styles.subtitle}>{subtitle}</p>}
      <div className="card">{children}</div>
    </main>
  );
}
