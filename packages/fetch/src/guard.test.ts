import { describe, expect, it } from 'vitest';
import {
  allowEntryProblem,
  createNetworkGuard,
  embeddedIPv4,
  InvalidAllowEntryError,
  isBlockedAddress,
} from './guard.ts';

describe('isBlockedAddress', () => {
  it.each([
    '127.0.0.1',
    '127.1.2.3',
    '10.0.0.1',
    '172.16.5.4',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    'fe80::1',
    'fe80::1%eth0',
    'fc00::1',
    'fd00:ec2::254',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '64:ff9b::10.0.0.1',
    '2002:c0a8:0101::1',
    '::ffff:0:a9fe:a9fe',
    '::ffff:0:127.0.0.1',
    '64:ff9b:1::8.8.8.8',
    '64:ff9b:1:abcd::1',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
    '2001::1',
    'not-an-ip',
  ])('blocks %s', (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });

  it.each([
    '93.184.216.34',
    '1.1.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::8.8.8.8',
    '2001:4860:4860::8888',
  ])('lets public %s through', (address) => {
    expect(isBlockedAddress(address)).toBe(false);
  });

  it('extracts embedded IPv4 addresses', () => {
    expect(embeddedIPv4('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(embeddedIPv4('::ffff:a01:203')).toBe('10.1.2.3');
    expect(embeddedIPv4('64:ff9b::a01:203')).toBe('10.1.2.3');
    expect(embeddedIPv4('::ffff:0:a9fe:a9fe')).toBe('169.254.169.254');
    expect(embeddedIPv4('2606:4700::1')).toBeNull();
    expect(embeddedIPv4('10.1.2.3')).toBeNull();
  });
});

describe('createNetworkGuard', () => {
  it('refuses non-public addresses by default', () => {
    const guard = createNetworkGuard();
    expect(guard.allows('localhost', '127.0.0.1')).toBe(false);
    expect(guard.allows('example.org', '93.184.216.34')).toBe(true);
  });

  it('allows listed hosts whatever they resolve to', () => {
    const guard = createNetworkGuard(['localhost', '*.internal.test']);
    expect(guard.allows('LOCALHOST', '127.0.0.1')).toBe(true);
    expect(guard.allows('a.internal.test', '10.0.0.1')).toBe(true);
    expect(guard.allows('127.0.0.1', '127.0.0.1')).toBe(false);
  });

  it('allows listed addresses and CIDRs, including their IPv4-mapped form', () => {
    const guard = createNetworkGuard(['127.0.0.1', '10.0.0.0/8', '::1']);
    expect(guard.allows('x', '127.0.0.1')).toBe(true);
    expect(guard.allows('x', '::ffff:127.0.0.1')).toBe(true);
    expect(guard.allows('x', '127.0.0.2')).toBe(false);
    expect(guard.allows('x', '10.200.0.1')).toBe(true);
    expect(guard.allows('x', '::1')).toBe(true);
    expect(guard.allows('x', '169.254.169.254')).toBe(false);
  });
});

describe('allow-list entries', () => {
  it.each(['localhost', '*.internal.test', '127.0.0.1', '10.0.0.0/8', '::1/128', '[::1]', 'news.example.'])(
    'accepts %s',
    (entry) => {
      expect(allowEntryProblem(entry)).toBeNull();
    },
  );

  it.each(['10.0.0.0/abc', '10.0.0.0/33', '::1/129', '10.0.0.0/8/8', 'host/8', 'bad host', 'http://x'])(
    'rejects %s with a message naming it',
    (entry) => {
      expect(allowEntryProblem(entry)).toContain(entry);
    },
  );

  it('refuses to build a guard from an invalid entry with a typed error, not a RangeError', () => {
    expect(() => createNetworkGuard(['127.0.0.1', '10.0.0.0/abc'])).toThrow(InvalidAllowEntryError);
    expect(() => createNetworkGuard(['10.0.0.0/abc'])).toThrow(/10\.0\.0\.0\/abc: the prefix length/);
  });
});
