/**
 * The physical host behind a record: its role, names, primary NIC and addresses, and OS.
 * A pure function of (seed, host index, slot); Defender's view of it is built in
 * `machine.ts`, the scanner's view in `assets.ts`.
 */
import { DEPARTMENTS, DOMAINS, LINUX, LINUX_APPS, MACOS, OUI, SERVER_APPS, TWIN_DOMAIN, WINDOWS_CLIENT, WINDOWS_SERVER } from "./catalog.js";
import { branchIpv4, cloudIpv4, homeExternalIpv4, homeIpv4, lanIpv4, macFor, ulaGroups, vpnIpv4 } from "./net.js";
import type { Ipv6Groups, Site } from "./net.js";
import { rngAt } from "./rng.js";
import type { Rng } from "./rng.js";
import type { Slot } from "./slots.js";

/** What kind of device a host is. The last three are only discovered, never onboarded. */
export type Role = "laptop" | "desktop" | "server" | "linux" | "mac" | "cloud" | "printer" | "iot" | "unmanaged";

/** OS facts as Defender prints them, plus the scanner's OS guess. */
export interface Platform {
  readonly family: "windows" | "linux" | "mac" | "other";
  readonly osPlatform: string;
  readonly version: string | null;
  readonly osBuild: number | null;
  readonly scanOs: string | null;
}

/** The address the host reports now: the VPN address when remote with the tunnel up, its home address when remote without, else the site one. */
export const currentIp = (host: Identity): string => {
  if (!host.remote) return host.lanIp;
  if (host.tunnel !== null && host.vpnIp !== null) return host.vpnIp;
  return host.homeIp ?? host.lanIp;
};

/** A physical host. */
export interface Identity {
  /** Host index (address plan). */
  readonly n: number;
  readonly role: Role;
  /** Lowercase short host name. */
  readonly shortName: string;
  /** Lowercase FQDN when the host has a DNS domain. */
  readonly fqdn: string | null;
  /** `computerDnsName` as Defender prints it (FQDN, short uppercase, mixed case, or null). */
  readonly dnsName: string | null;
  /** Primary NIC MAC, 12 uppercase hex. */
  readonly mac: string;
  /** Address on its site's LAN (headquarters or branch) or cloud VNet. */
  readonly lanIp: string;
  /** VPN pool address (laptops only). */
  readonly vpnIp: string | null;
  /** Laptop currently off-site, at home (`site` is `home`). */
  readonly remote: boolean;
  /** Where the host sits (a remote laptop: `home`). */
  readonly site: Site;
  /** A remote laptop's VPN adapter when its tunnel is up: Cisco AnyConnect (an Ethernet adapter with the vendor's fixed MAC) or Windows' own (a `Ppp` adapter); null at home without VPN and on site. */
  readonly tunnel: "anyconnect" | "ppp" | null;
  /** A remote laptop's home-router address (the private ranges branches use too); null on site. */
  readonly homeIp: string | null;
  /** A remote laptop's household public address; null on site. */
  readonly homeEgress: string | null;
  /** A remote laptop on the VPN whose Defender traffic goes through the tunnel (egress at headquarters). */
  readonly fullTunnel: boolean;
  /** Site ULA IPv6 when the host has one. */
  readonly ipv6: Ipv6Groups | null;
  readonly platform: Platform;
}

const SALT_IDENTITY = 0x1d3;
const SALT_SITE = 0x5e7;

/** Departments with long names: `accounting-ws-0042` is `ACCOUNTING-WS-0` in NetBIOS, as every `accounting-ws-004x` is. */
const LONG_DEPARTMENTS: readonly string[] = ["accounting", "logistics", "warehouse", "purchasing", "reception"];

const ROLES: readonly (readonly [Role, number])[] = [
  ["laptop", 30],
  ["desktop", 20],
  ["server", 12],
  ["linux", 12],
  ["cloud", 5],
  ["mac", 3],
  ["printer", 7],
  ["iot", 5],
  ["unmanaged", 6],
];

const pad = (k: number, width = 4): string => String(k).padStart(width, "0");

const upperAlnum = (rng: Rng, n: number): string => {
  let s = "";
  for (let k = 0; k < n; k++) s += "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"[rng.int(34)];
  return s;
};

const platformOf = (rng: Rng, role: Role): Platform => {
  switch (role) {
    case "laptop":
    case "desktop": {
      const r = rng.weighted(WINDOWS_CLIENT);
      return { family: "windows", ...r };
    }
    case "server": {
      const r = rng.weighted(WINDOWS_SERVER);
      return { family: "windows", ...r };
    }
    case "linux": {
      const r = rng.weighted(LINUX);
      return { family: "linux", osPlatform: r.osPlatform, version: r.version, osBuild: null, scanOs: r.scanOs };
    }
    case "cloud": {
      if (rng.chance(0.4)) return { family: "windows", ...rng.weighted(WINDOWS_SERVER.slice(0, 2)) };
      const r = rng.weighted(LINUX.slice(0, 3));
      return { family: "linux", osPlatform: r.osPlatform, version: r.version, osBuild: null, scanOs: r.scanOs };
    }
    case "mac":
      return { family: "mac", osPlatform: "macOS", version: rng.pick(MACOS), osBuild: null, scanOs: "Apple macOS" };
    case "printer":
      return { family: "other", osPlatform: "Other", version: null, osBuild: null, scanOs: rng.pick(["HP JetDirect", "Brother printer", null]) };
    case "iot":
      return { family: "other", osPlatform: rng.pick(["Other", "Linux"]), version: null, osBuild: null, scanOs: rng.pick(["embedded Linux", null]) };
    case "unmanaged":
      return rng.chance(0.6)
        ? { family: "windows", ...rng.weighted(WINDOWS_CLIENT), version: null }
        : { family: "linux", osPlatform: "Ubuntu", version: "20.04", osBuild: null, scanOs: "Linux 5.4" };
  }
};

const shortNameOf = (rng: Rng, role: Role, n: number, mac: string): string => {
  switch (role) {
    case "laptop":
      return `${rng.pick(DEPARTMENTS)}-lt-${pad(n)}`;
    case "desktop":
      return `${rng.pick(DEPARTMENTS)}-ws-${pad(n)}`;
    case "server":
      return `srv-${rng.pick(SERVER_APPS)}-${pad(n)}`;
    case "linux":
      return `${rng.pick(LINUX_APPS)}-${pad(n)}`;
    case "cloud":
      return `vm-${rng.pick(LINUX_APPS)}-${pad(n)}`;
    case "mac":
      return `${rng.pick(DEPARTMENTS)}-mbp-${pad(n)}`;
    case "printer":
      return rng.pick([`npi${mac.slice(6).toLowerCase()}`, `brn${mac.toLowerCase()}`, `prn-${rng.pick(DEPARTMENTS)}-${pad(n)}`]);
    case "iot":
      return rng.pick([`cam-${rng.pick(["lobby", "dock", "door", "lab"])}-${pad(n)}`, `ap-${pad(n)}`, `ups-${pad(n)}`]);
    case "unmanaged":
      return rng.chance(0.6) ? `desktop-${upperAlnum(rng, 7).toLowerCase()}` : `vmexample-${pad(n)}`;
  }
};

const ouiOf = (rng: Rng, role: Role, laptopWifi: boolean): string => {
  switch (role) {
    case "laptop":
      return rng.pick(laptopWifi ? OUI.wifi : OUI.pc);
    case "desktop":
      return rng.pick(OUI.pc);
    case "server":
      return rng.pick([...OUI.server, ...OUI.vmware, ...OUI.hyperv]);
    case "linux":
      return rng.pick([...OUI.server, ...OUI.vmware]);
    case "cloud":
      return rng.pick(OUI.azure);
    case "mac":
      return rng.pick(OUI.apple);
    case "printer":
      return rng.pick(OUI.printer);
    case "iot":
      return rng.pick(OUI.camera);
    case "unmanaged":
      return rng.pick([...OUI.pc, ...OUI.phone]);
  }
};

/** How Defender spells the name: FQDN (mostly lowercase), short uppercase, or mixed case. */
const dnsNameOf = (rng: Rng, role: Role, shortName: string, fqdn: string | null): string | null => {
  if (role === "iot" && rng.chance(0.3)) return null;
  if (role === "printer" || role === "iot") return rng.chance(0.5) ? shortName.toUpperCase() : shortName;
  if (role === "unmanaged") return shortName.toUpperCase();
  if (fqdn === null) return rng.chance(0.5) ? shortName : shortName.toUpperCase();
  return rng.weighted<string>([
    [fqdn, 75],
    [shortName.toUpperCase(), 15],
    [`${shortName.toUpperCase()}${fqdn.slice(shortName.length)}`, 10],
  ]);
};

/**
 * The host with index `n` (for records, `slot.identity`). Twins get the pair's shared
 * short name in two domains.
 */
export const identityAt = (seed: number, n: number, slot: Slot | null): Identity => {
  const rng = rngAt(seed, n, SALT_IDENTITY);
  const twin = slot?.situation === "twin-a" || slot?.situation === "twin-b";
  const situation = slot?.situation ?? "single";
  const role: Role = twin
    ? "server"
    : situation === "dhcp-trap"
      ? "laptop"
      : situation === "duplicate-old" || situation === "duplicate-new"
        ? rng.weighted(ROLES.slice(0, 6))
        : situation === "dhcp-old"
          ? rng.weighted(ROLES.slice(0, 2))
          : rng.weighted(ROLES);
  const laptopWifi = role === "laptop" && rng.chance(0.7);
  const mac = macFor(seed, n, ouiOf(rng, role, laptopWifi));
  let shortName = shortNameOf(rng, role, n, mac);
  let domain: string | null = null;
  if (role === "laptop" || role === "desktop" || role === "server") domain = rng.weighted(DOMAINS);
  else if (role === "linux" && rng.chance(0.4)) domain = rng.weighted(DOMAINS);
  else if (role === "cloud") domain = `${upperAlnum(rng, 4).toLowerCase()}.bx.internal.cloudapp.net`;
  if (twin && slot !== null) {
    const app = rngAt(seed, slot.pair, SALT_IDENTITY).pick(SERVER_APPS);
    shortName = `${app}${String(slot.pair).padStart(2, "0")}`;
    domain = slot.situation === "twin-a" ? "corp.contoso.com" : TWIN_DOMAIN;
  }
  // Where it sits: drawn from a stream of its own, so that the identity's own draws do not move.
  const sr = rngAt(seed, n, SALT_SITE);
  const office: Exclude<Site, "home"> =
    role === "cloud"
      ? "cloud"
      : twin || situation === "dhcp-trap"
        ? "hq"
        : sr.weighted<"hq" | "branch-a" | "branch-b">([
            ["hq", 70],
            ["branch-a", 15],
            ["branch-b", 15],
          ]);
  if ((office === "branch-a" || office === "branch-b") && (role === "laptop" || role === "desktop") && sr.chance(0.5)) {
    shortName = `${sr.pick(LONG_DEPARTMENTS)}-${role === "laptop" ? "lt" : "ws"}-${pad(n)}`;
  }
  const fqdn = domain === null ? null : `${shortName}.${domain}`;
  const dnsName = twin ? fqdn : dnsNameOf(rng, role, shortName, fqdn);
  const onVpnPool = role === "laptop";
  const remote = onVpnPool && situation !== "dhcp-trap" && rng.chance(0.25);
  const tunnel = remote
    ? sr.weighted<"anyconnect" | "ppp" | null>([
        ["anyconnect", 50],
        ["ppp", 20],
        [null, 30],
      ])
    : null;
  const homeIp = remote ? homeIpv4(sr) : null;
  const homeEgress = remote ? homeExternalIpv4(sr) : null;
  const fullTunnel = tunnel !== null && sr.chance(0.5);
  return {
    n,
    role,
    shortName,
    fqdn,
    dnsName,
    mac,
    lanIp: office === "cloud" ? cloudIpv4(n) : office === "hq" ? lanIpv4(n) : branchIpv4(office, n),
    vpnIp: onVpnPool ? vpnIpv4(n) : null,
    remote,
    site: remote ? "home" : office,
    tunnel,
    homeIp,
    homeEgress,
    fullTunnel,
    ipv6: (role === "laptop" || role === "desktop" || role === "server" || role === "linux") && rng.chance(0.3) ? ulaGroups(n, mac) : null,
    platform: platformOf(rng, role),
  };
};
