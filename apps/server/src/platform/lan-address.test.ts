import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { lanAddresses, publicUrlHint } from './lan-address.ts';

const v4 = (address: string, internal = false): NetworkInterfaceInfo => ({
  address,
  netmask: '255.255.255.0',
  family: 'IPv4',
  mac: '00:00:00:00:00:00',
  internal,
  cidr: `${address}/24`,
});
const v6 = (address: string): NetworkInterfaceInfo => ({
  address,
  netmask: 'ffff:ffff:ffff:ffff::',
  family: 'IPv6',
  mac: '00:00:00:00:00:00',
  internal: false,
  cidr: `${address}/64`,
  scopeid: 0,
});

const laptop = {
  lo: [v4('127.0.0.1', true)],
  docker0: [v4('172.17.0.1')],
  wlan0: [v4('192.168.0.23'), v6('fe80::1')],
  zt0: [v4('169.254.10.2')],
  eth1: [v4('203.0.113.5')],
};

describe('lanAddresses', () => {
  it('keeps reachable IPv4 addresses, home/venue Wi-Fi ranges first', () => {
    expect(lanAddresses(laptop)).toEqual(['192.168.0.23', '172.17.0.1', '203.0.113.5']);
    expect(lanAddresses({ en0: [v4('10.1.2.3'), v4('192.168.1.9')] })).toEqual(['192.168.1.9', '10.1.2.3']);
    expect(lanAddresses({ lo: [v4('127.0.0.1', true)], x: undefined })).toEqual([]);
  });
});

describe('publicUrlHint', () => {
  const base = { publicUrlFromEnv: false, publicUrl: 'http://localhost:3000', host: '0.0.0.0', port: 3000 };

  it('names the LAN address to use for PUBLIC_URL when it is unset', () => {
    const [line, others] = publicUrlHint(base, laptop);
    expect(line).toBe(
      'On a phone on the same network: http://192.168.0.23:3000 — set PUBLIC_URL=http://192.168.0.23:3000 ' +
        'so share links work (they use http://localhost:3000 now).',
    );
    expect(others).toBe('Other addresses of this machine: http://172.17.0.1:3000, http://203.0.113.5:3000');
    expect(publicUrlHint({ ...base, port: 8080 }, { wlan0: [v4('10.0.0.7')] })).toEqual([
      'On a phone on the same network: http://10.0.0.7:8080 — set PUBLIC_URL=http://10.0.0.7:8080 ' +
        'so share links work (they use http://localhost:3000 now).',
    ]);
  });

  it('says nothing when PUBLIC_URL is set', () => {
    expect(
      publicUrlHint({ ...base, publicUrlFromEnv: true, publicUrl: 'https://ev.example.com' }, laptop),
    ).toEqual([]);
  });

  it('explains when no phone could reach the server', () => {
    expect(publicUrlHint(base, { lo: [v4('127.0.0.1', true)] })[0]).toMatch(/no network address was found/);
    expect(publicUrlHint({ ...base, host: '127.0.0.1' }, laptop)[0]).toMatch(/HOST=0\.0\.0\.0/);
  });
});
