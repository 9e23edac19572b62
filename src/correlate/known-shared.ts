/**
 * Values that virtual adapters carry on every host where the software is installed. They
 * identify no device. Correlation also finds shared values in the data (a MAC or IP carried
 * by more than one device or asset); this list covers the values that appear on a single
 * device in a small inventory, where the data alone cannot tell.
 *
 * Every value is printed canonically (as `parseMac` / `parseIp` print it).
 */

/** Adapter MACs fixed by the vendor, the same on every installation. */
export const KNOWN_SHARED_MACS: ReadonlySet<string> = new Set([
  "00:05:9a:3c:7a:00", // Cisco AnyConnect Virtual Miniport Adapter
  "02:50:41:00:00:01", // Palo Alto GlobalProtect PANGP Virtual Ethernet Adapter
  "00:50:56:c0:00:01", // VMware Workstation/Fusion host adapter VMnet1
  "00:50:56:c0:00:08", // VMware Workstation/Fusion host adapter VMnet8
  "02:00:4c:4f:4f:50", // Microsoft KM-TEST Loopback Adapter
  "20:41:53:59:4e:ff", // Windows RAS Async Adapter
  "50:50:54:50:30:30", // Windows WAN Miniport (PPTP)
]);

/**
 * The vendor-fixed MACs of VPN clients' virtual adapters (a subset of {@link KNOWN_SHARED_MACS}):
 * an adapter with one of these that is up carries a tunnel's address, for a source to report in
 * `SourceDevice.tunnelAddresses` (Windows' own VPN shows as an adapter of type `Ppp` instead).
 */
export const KNOWN_VPN_MACS: ReadonlySet<string> = new Set([
  "00:05:9a:3c:7a:00", // Cisco AnyConnect Virtual Miniport Adapter
  "02:50:41:00:00:01", // Palo Alto GlobalProtect PANGP Virtual Ethernet Adapter
]);

/** MAC prefixes (canonical, with trailing colon) whose whole block is handed out the same way on every host. */
export const KNOWN_SHARED_MAC_PREFIXES: readonly string[] = [
  "0a:00:27:00:00:", // VirtualBox Host-Only Ethernet Adapter on Windows (last byte = adapter number)
];

/** Host-side addresses that virtualisation and container software configures by default. */
export const KNOWN_SHARED_IPS: ReadonlySet<string> = new Set([
  "172.17.0.1", // Docker bridge docker0
  "10.0.75.1", // Docker for Windows DockerNAT
  "192.168.56.1", // VirtualBox host-only adapter, host side
  "192.168.99.1", // docker-machine host-only adapter, host side
  "10.0.2.15", // VirtualBox NAT, address of every guest
  "10.0.2.2", // VirtualBox NAT gateway
  "192.168.122.1", // libvirt default network virbr0
]);

/** True when a canonical MAC is a vendor-fixed virtual adapter MAC. */
export function isKnownSharedMac(mac: string): boolean {
  return KNOWN_SHARED_MACS.has(mac) || KNOWN_SHARED_MAC_PREFIXES.some((prefix) => mac.startsWith(prefix));
}

/** True when a canonical IP is a default virtual adapter address. */
export function isKnownSharedIp(ip: string): boolean {
  return KNOWN_SHARED_IPS.has(ip);
}
