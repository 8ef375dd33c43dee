import type { CheckinStorage } from './storage.ts';
import type { DeviceInfo } from './types.ts';

/**
 * This device's identity for check-in logs: an id generated once and kept in IndexedDB, and a name
 * staff can edit ("김사라의 iPhone"). Shared by every tab and every event on the device.
 */
export async function loadOrCreateDevice(storage: CheckinStorage, defaultName: string): Promise<DeviceInfo> {
  const existing = await storage.getDevice();
  if (existing) return existing;
  const device = { id: crypto.randomUUID(), name: defaultName };
  await storage.putDevice(device);
  // Two tabs opening at once may both create one; the first write that lands is read back by both.
  return (await storage.getDevice()) ?? device;
}

export async function renameDevice(
  storage: CheckinStorage,
  device: DeviceInfo,
  name: string,
): Promise<DeviceInfo> {
  const trimmed = name.trim().slice(0, 100);
  const next = trimmed.length > 0 ? { ...device, name: trimmed, named: true } : device;
  await storage.putDevice(next);
  return next;
}

/**
 * The name the check-in screen suggests on first use: a station and the person ("입구 1 · 김사라"),
 * which staff recognise in activity lists and conflict notices far better than "Android · Chrome".
 */
export function suggestDeviceName(station: string, userName: string | null | undefined): string {
  const who = userName?.trim();
  return (who ? `${station} · ${who}` : station).slice(0, 100);
}

/** A readable default such as "Android · Chrome" from the user agent. */
export function describeThisDevice(userAgent: string = globalThis.navigator?.userAgent ?? ''): string {
  const os = /iPhone|iPad/.test(userAgent)
    ? 'iPhone'
    : /Android/.test(userAgent)
      ? 'Android'
      : /Mac OS X/.test(userAgent)
        ? 'Mac'
        : /Windows/.test(userAgent)
          ? 'Windows'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : 'Device';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Chrome\//.test(userAgent)
      ? 'Chrome'
      : /Firefox\//.test(userAgent)
        ? 'Firefox'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : 'Browser';
  return `${os} · ${browser}`;
}
