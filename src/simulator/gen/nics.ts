/**
 * `ipAddresses[]` of a record, with the adapter noise real tenants show (reference §3.4,
 * §7.9–7.10): loopback with null/""/"000000000000" MACs, link-local IPv6, APIPA on Down
 * adapters, ISATAP tunnels with a 16-hex pseudo-MAC, the shared VPN / host-only / Docker
 * adapters, and stale addresses on Down adapters.
 */
import { DOCKER_BRIDGE_IP, HOST_ONLY_IP, HOST_ONLY_MAC, ISATAP_MAC, OUI, VPN_MAC } from "./catalog.js";
import type { Identity } from "./identity.js";
import { apipa, ipv6Text, linkLocalGroups, macFor, randomMac } from "./net.js";
import type { Rng } from "./rng.js";

/** One `ipAddresses[]` entry, keys in wire order. */
export interface NicEntry {
  ipAddress: string;
  macAddress: string | null;
  type: string | null;
  operationalStatus: string;
}

const nic = (ipAddress: string, macAddress: string | null, type: string | null, operationalStatus: string): NicEntry => ({
  ipAddress,
  macAddress,
  type,
  operationalStatus,
});

const windowsNics = (seed: number, rng: Rng, host: Identity): NicEntry[] => {
  const out: NicEntry[] = [];
  const primaryType = host.role === "laptop" ? (rng.chance(0.7) ? "Wireless80211" : "Ethernet") : "Ethernet";
  if (host.remote) {
    // At home: the tunnel's adapter when the VPN is up (AnyConnect's fixed MAC, or Windows' own PPP adapter without one), and the home router's address.
    if (host.tunnel === "anyconnect" && host.vpnIp !== null) out.push(nic(host.vpnIp, VPN_MAC, "Ethernet", "Up"));
    if (host.tunnel === "ppp" && host.vpnIp !== null) out.push(nic(host.vpnIp, null, "Ppp", "Up"));
    out.push(nic(host.homeIp ?? host.lanIp, host.mac, primaryType, "Up"));
    out.push(nic(ipv6Text(linkLocalGroups(host.mac)), host.mac, primaryType, "Up"));
  } else {
    out.push(nic(host.lanIp, host.mac, primaryType, "Up"));
    if (rng.chance(0.75)) out.push(nic(ipv6Text(linkLocalGroups(host.mac)), host.mac, primaryType, "Up"));
    if (host.ipv6 !== null) out.push(nic(ipv6Text(host.ipv6), host.mac, primaryType, "Up"));
    if (host.vpnIp !== null && rng.chance(0.6)) out.push(nic(host.vpnIp, VPN_MAC, "Ethernet", "Down"));
  }
  if (rng.chance(host.role === "server" ? 0.05 : 0.12)) {
    out.push(nic(HOST_ONLY_IP, HOST_ONLY_MAC, "Ethernet", "Up"));
    out.push(nic(ipv6Text(linkLocalGroups(HOST_ONLY_MAC)), HOST_ONLY_MAC, "Ethernet", "Up"));
  }
  if (rng.chance(0.15)) out.push(nic(apipa(rng), macFor(seed, host.n + 7_000_000, rng.pick(OUI.pc)), "Ethernet", "Down"));
  if (rng.chance(0.12)) out.push(nic(`fe80::5efe:${host.lanIp}`, ISATAP_MAC, "Tunnel", rng.chance(0.7) ? "Down" : "Up"));
  const loopbackMac = rng.chance(0.2) ? "" : null;
  out.push(nic("127.0.0.1", loopbackMac, "SoftwareLoopback", "Up"));
  out.push(nic("::1", loopbackMac, "SoftwareLoopback", "Up"));
  return out;
};

const linuxNics = (rng: Rng, host: Identity): NicEntry[] => {
  const out: NicEntry[] = [nic(host.lanIp, host.mac, "Other", "Up")];
  if (rng.chance(0.8)) out.push(nic(ipv6Text(linkLocalGroups(host.mac)), host.mac, "Other", "Up"));
  if (host.ipv6 !== null) out.push(nic(ipv6Text(host.ipv6), host.mac, "Other", "Up"));
  if (host.role === "linux" && rng.chance(0.5)) {
    const dockerMac = randomMac(rng, "0242");
    const status = rng.chance(0.7) ? "Up" : "Down";
    out.push(nic(DOCKER_BRIDGE_IP, dockerMac, "Other", status));
    if (rng.chance(0.5)) out.push(nic(ipv6Text(linkLocalGroups(dockerMac)), dockerMac, "Other", status));
  }
  out.push(nic("127.0.0.1", "000000000000", "Other", "Up"));
  out.push(nic("::1", "000000000000", "Other", "Up"));
  return out;
};

const macNics = (rng: Rng, host: Identity): NicEntry[] => {
  const awdl = randomMac(rng, "4A");
  return [
    nic(host.lanIp, host.mac, "Wireless80211", "Up"),
    nic(ipv6Text(linkLocalGroups(host.mac)), host.mac, "Wireless80211", "Up"),
    nic(ipv6Text(linkLocalGroups(awdl)), awdl, "Other", "Up"),
    nic("127.0.0.1", null, "SoftwareLoopback", "Up"),
    nic("::1", null, "SoftwareLoopback", "Up"),
  ];
};

/** Adapters of an onboarded record whose host is `host`. */
export const onboardedNics = (seed: number, rng: Rng, host: Identity): NicEntry[] => {
  switch (host.platform.family) {
    case "windows":
      return windowsNics(seed, rng, host);
    case "linux":
      return linuxNics(rng, host);
    default:
      return macNics(rng, host);
  }
};

/** The single sparse entry of a discovered (not onboarded) device: `type: null`, status Unknown. */
export const discoveredNics = (host: Identity): NicEntry[] => [nic(host.lanIp, host.mac, null, "Unknown")];
