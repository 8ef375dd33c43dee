import { type Db, queryOne, sql } from '../../platform/db/database.ts';

/** The last measured clock offset of a user's device (server − device, ms), if any. */
export async function findDeviceOffset(
  db: Db,
  userId: string,
  deviceId: string,
): Promise<number | undefined> {
  const row = await queryOne<{ clock_offset_ms: number | string }>(
    db,
    sql`select clock_offset_ms from device_clock where user_id = ${userId} and device_id = ${deviceId}`,
  );
  return row ? Number(row.clock_offset_ms) : undefined;
}

export async function recordDeviceOffset(
  db: Db,
  userId: string,
  deviceId: string,
  offsetMs: number,
  at: Date,
): Promise<void> {
  await db.execute(sql`
    insert into device_clock (user_id, device_id, clock_offset_ms, measured_at)
    values (${userId}, ${deviceId}, ${Math.round(offsetMs)}, ${at.toISOString()}::timestamptz)
    on conflict (user_id, device_id)
    do update set clock_offset_ms = excluded.clock_offset_ms, measured_at = excluded.measured_at`);
}
