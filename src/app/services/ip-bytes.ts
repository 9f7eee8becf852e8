// A client address as the bytes MySQL's INET6_ATON gives, the form sessions, orders and login limits store.
import { isIPv4, isIPv6 } from 'node:net';

/** INET6_ATON bytes: 4 for IPv4 (also IPv4-mapped IPv6), 16 for IPv6. */
export function ipBytes(ip: string | undefined): Buffer | null {
  if (!ip) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const v4 = mapped ? mapped[1]! : ip;
  if (isIPv4(v4)) return Buffer.from(v4.split('.').map(Number));
  if (!isIPv6(ip)) return null;
  const [head = '', tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g || '0', 16), i * 2));
  return out;
}
