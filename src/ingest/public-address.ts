// Which IP addresses a user-supplied URL may reach: public ones only, never
// this host, its private networks or special-purpose ranges.
//
// IPv6 addresses that embed an IPv4 one (IPv4-mapped, IPv4-compatible, NAT64,
// 6to4) are judged by the IPv4 address they carry. Why not one BlockList with a
// `::ffff:0:0/96` rule: Node's BlockList matches plain IPv4 addresses against
// that rule too, which would refuse the whole IPv4 internet.
import { BlockList, isIPv4, isIPv6 } from 'node:net';

const REFUSED_IPV4 = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], // "this network", including the unspecified 0.0.0.0
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata services live here)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // network benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and the broadcast address
] as const) {
  REFUSED_IPV4.addSubnet(net, bits, 'ipv4');
}

const REFUSED_IPV6 = new BlockList();
for (const [net, bits] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local (private)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated, still private)
  ['ff00::', 8], // multicast
] as const) {
  REFUSED_IPV6.addSubnet(net, bits, 'ipv6');
}

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 part counts as two). */
function ipv6Groups(address: string): number[] {
  let text = address.split('%')[0]!.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (dotted) {
    const [a, b, c, d] = dotted.split('.').map(Number) as [number, number, number, number];
    text = text.slice(0, -dotted.length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const parse = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const front = parse(head);
  const back = parse(tail);
  return [...front, ...Array(8 - front.length - back.length).fill(0), ...back];
}

function ipv4From(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** The IPv4 address an IPv6 address stands for, when it embeds one. */
function embeddedIpv4(groups: number[]): string | undefined {
  const zeros = (from: number, to: number) => groups.slice(from, to).every((g) => g === 0);
  if (zeros(0, 5) && groups[5] === 0xffff) return ipv4From(groups[6]!, groups[7]!); // ::ffff:a.b.c.d (mapped)
  if (zeros(0, 6) && (groups[6] !== 0 || groups[7]! > 1)) return ipv4From(groups[6]!, groups[7]!); // ::a.b.c.d (compatible)
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6)) return ipv4From(groups[6]!, groups[7]!); // NAT64
  if (groups[0] === 0x2002) return ipv4From(groups[1]!, groups[2]!); // 6to4
  return undefined;
}

/** True for an address on the public internet; false for anything local, private or special, and for non-addresses. */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  if (isIPv4(bare)) return !REFUSED_IPV4.check(bare, 'ipv4');
  if (!isIPv6(bare)) return false;
  const ipv4 = embeddedIpv4(ipv6Groups(bare));
  if (ipv4 !== undefined) return !REFUSED_IPV4.check(ipv4, 'ipv4');
  return !REFUSED_IPV6.check(bare.split('%')[0]!, 'ipv6');
}
