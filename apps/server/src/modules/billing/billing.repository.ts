import { and, desc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.ts';
import {
  billingCustomers,
  billingPayments,
  type CustomerRow,
  type NewPaymentRow,
  type PaymentRow,
  type SubscriptionRow,
  subscriptionHistory,
  subscriptions,
} from './billing.tables.ts';

type SubscriptionPatch = Partial<Omit<SubscriptionRow, 'id' | 'userId' | 'createdAt'>>;
type PaymentPatch = Partial<Omit<PaymentRow, 'id' | 'orderId' | 'userId' | 'createdAt'>>;

/** The only code that touches billing's tables. Every function takes the caller's `Db` (or transaction). */
export const billingRepository = {
  async ensureCustomer(db: Db, userId: string, newCustomerKey: string): Promise<CustomerRow> {
    await db.insert(billingCustomers).values({ userId, customerKey: newCustomerKey }).onConflictDoNothing();
    const [row] = await db.select().from(billingCustomers).where(eq(billingCustomers.userId, userId));
    return row!;
  },

  async findCustomer(db: Db, userId: string): Promise<CustomerRow | undefined> {
    const [row] = await db.select().from(billingCustomers).where(eq(billingCustomers.userId, userId));
    return row;
  },

  async setCard(
    db: Db,
    userId: string,
    card: { billingKeyEnc: string; cardCompany: string | null; cardLast4: string | null; at: Date },
  ): Promise<void> {
    await db
      .update(billingCustomers)
      .set({
        billingKeyEnc: card.billingKeyEnc,
        cardCompany: card.cardCompany,
        cardLast4: card.cardLast4,
        cardRegisteredAt: card.at,
      })
      .where(eq(billingCustomers.userId, userId));
  },

  async insertPayment(db: Db, row: NewPaymentRow): Promise<PaymentRow> {
    const [inserted] = await db.insert(billingPayments).values(row).returning();
    return inserted!;
  },

  async findPaymentByOrderId(db: Db, orderId: string): Promise<PaymentRow | undefined> {
    const [row] = await db.select().from(billingPayments).where(eq(billingPayments.orderId, orderId));
    return row;
  },

  async findPaymentByPaymentKey(db: Db, paymentKey: string): Promise<PaymentRow | undefined> {
    const [row] = await db.select().from(billingPayments).where(eq(billingPayments.paymentKey, paymentKey));
    return row;
  },

  /**
   * Takes the confirm lease of a prepared order: of two confirms at once exactly one gets the row
   * back; the other waits for its outcome. A lease left by a crashed request can be taken again once
   * it ends (the same Idempotency-Key then makes Toss answer the first call's result).
   */
  async claimConfirm(
    db: Db,
    orderId: string,
    paymentKey: string,
    now: Date,
    leaseUntil: Date,
  ): Promise<PaymentRow | undefined> {
    const [row] = await db
      .update(billingPayments)
      .set({ status: 'confirming', paymentKey, confirmLeaseUntil: leaseUntil, updatedAt: now })
      .where(
        and(
          eq(billingPayments.orderId, orderId),
          or(
            eq(billingPayments.status, 'pending'),
            and(eq(billingPayments.status, 'confirming'), lt(billingPayments.confirmLeaseUntil, now)),
          ),
        ),
      )
      .returning();
    return row;
  },

  /** Updates an order only while it is in one of `from`; undefined when another writer moved it. */
  async movePayment(
    db: Db,
    id: string,
    from: PaymentRow['status'][],
    patch: PaymentPatch,
  ): Promise<PaymentRow | undefined> {
    const [row] = await db
      .update(billingPayments)
      .set(patch)
      .where(and(eq(billingPayments.id, id), inArray(billingPayments.status, from)))
      .returning();
    return row;
  },

  async listPayments(db: Db, userId: string): Promise<PaymentRow[]> {
    return db
      .select()
      .from(billingPayments)
      .where(
        and(
          eq(billingPayments.userId, userId),
          inArray(billingPayments.status, ['succeeded', 'failed', 'refunded']),
        ),
      )
      .orderBy(desc(billingPayments.createdAt), desc(billingPayments.id))
      .limit(200);
  },

  /** The user's running plan subscription (active or in its retries), one at most. */
  async livePlanSubscription(
    db: Db,
    userId: string,
    forUpdate = false,
  ): Promise<SubscriptionRow | undefined> {
    const query = db
      .select()
      .from(subscriptions)
      .where(
        and(
          eq(subscriptions.userId, userId),
          isNull(subscriptions.eventId),
          inArray(subscriptions.status, ['active', 'past_due']),
        ),
      );
    const [row] = forUpdate ? await query.for('update') : await query;
    return row;
  },

  async findSubscription(db: Db, id: string): Promise<SubscriptionRow | undefined> {
    const [row] = await db.select().from(subscriptions).where(eq(subscriptions.id, id));
    return row;
  },

  /** One-event purchases still lifting their event at `now`. */
  async liveEventSubscriptions(db: Db, eventId: string, now: Date): Promise<SubscriptionRow[]> {
    return db
      .select()
      .from(subscriptions)
      .where(
        and(
          eq(subscriptions.eventId, eventId),
          eq(subscriptions.status, 'active'),
          sql`${subscriptions.currentPeriodEnd} > ${now}`,
        ),
      );
  },

  async insertSubscription(db: Db, row: typeof subscriptions.$inferInsert): Promise<SubscriptionRow> {
    const [inserted] = await db.insert(subscriptions).values(row).returning();
    return inserted!;
  },

  async updateSubscription(
    db: Db,
    id: string,
    patch: SubscriptionPatch,
  ): Promise<SubscriptionRow | undefined> {
    const [row] = await db.update(subscriptions).set(patch).where(eq(subscriptions.id, id)).returning();
    return row;
  },

  async addHistory(
    db: Db,
    entry: {
      subscriptionId: string;
      at: Date;
      change: string;
      fromStatus: string | null;
      toStatus: string | null;
      detail?: Record<string, unknown>;
    },
  ): Promise<void> {
    await db.insert(subscriptionHistory).values({ ...entry, detail: entry.detail ?? {} });
  },

  async history(db: Db, subscriptionId: string) {
    return db
      .select()
      .from(subscriptionHistory)
      .where(eq(subscriptionHistory.subscriptionId, subscriptionId))
      .orderBy(subscriptionHistory.id);
  },

  /** Plan subscriptions whose period ended (or whose retry is due), not leased by another run. */
  async dueForRenewal(db: Db, now: Date, limit: number): Promise<SubscriptionRow[]> {
    return db
      .select()
      .from(subscriptions)
      .where(
        and(
          isNull(subscriptions.eventId),
          or(
            and(eq(subscriptions.status, 'active'), lte(subscriptions.currentPeriodEnd, now)),
            and(eq(subscriptions.status, 'past_due'), lte(subscriptions.nextRetryAt, now)),
          ),
          or(isNull(subscriptions.renewalLeaseUntil), lt(subscriptions.renewalLeaseUntil, now)),
        ),
      )
      .orderBy(subscriptions.currentPeriodEnd)
      .limit(limit);
  },

  /** One-event purchases whose grace period is over. */
  async dueEventEnds(db: Db, now: Date, limit: number): Promise<SubscriptionRow[]> {
    return db
      .select()
      .from(subscriptions)
      .where(
        and(
          sql`${subscriptions.eventId} is not null`,
          eq(subscriptions.status, 'active'),
          lte(subscriptions.currentPeriodEnd, now),
        ),
      )
      .limit(limit);
  },

  /**
   * Compare-and-set on the renewal lease: the run that gets the row back charges it; a run on
   * another instance that read the same row gets nothing and skips it.
   */
  async claimRenewal(db: Db, row: SubscriptionRow, now: Date, leaseUntil: Date): Promise<boolean> {
    const claimed = await db
      .update(subscriptions)
      .set({ renewalLeaseUntil: leaseUntil })
      .where(
        and(
          eq(subscriptions.id, row.id),
          eq(subscriptions.status, row.status),
          eq(subscriptions.currentPeriodEnd, row.currentPeriodEnd),
          eq(subscriptions.retryCount, row.retryCount),
          or(isNull(subscriptions.renewalLeaseUntil), lt(subscriptions.renewalLeaseUntil, now)),
        ),
      )
      .returning({ id: subscriptions.id });
    return claimed.length === 1;
  },
};
