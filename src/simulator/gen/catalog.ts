/**
 * Static tables the generator draws from: operating systems, builds, agent versions, names,
 * device groups and NIC vendors. Values follow the observed API data in
 * /work/shared/reference/defender-api.md §3.3–3.6.
 */

/** A Windows release as the machines API reports it. */
export interface WindowsRelease {
  readonly osPlatform: string;
  readonly version: string;
  readonly osBuild: number;
  readonly scanOs: string;
}

/** Client Windows releases (workstations and laptops). */
export const WINDOWS_CLIENT: readonly (readonly [WindowsRelease, number])[] = [
  [{ osPlatform: "Windows11", version: "23H2", osBuild: 22631, scanOs: "Microsoft Windows 11" }, 30],
  [{ osPlatform: "Windows11", version: "22H2", osBuild: 22621, scanOs: "Microsoft Windows 11" }, 12],
  [{ osPlatform: "Windows11", version: "24H2", osBuild: 26100, scanOs: "Microsoft Windows 11" }, 10],
  [{ osPlatform: "Windows10", version: "22H2", osBuild: 19045, scanOs: "Microsoft Windows 10" }, 35],
  [{ osPlatform: "Windows10", version: "21H2", osBuild: 19044, scanOs: "Microsoft Windows 10" }, 10],
  [{ osPlatform: "Windows10", version: "1809", osBuild: 17763, scanOs: "Microsoft Windows 10 1809" }, 3],
];

/** Windows Server releases. */
export const WINDOWS_SERVER: readonly (readonly [WindowsRelease, number])[] = [
  [{ osPlatform: "WindowsServer2022", version: "21H2", osBuild: 20348, scanOs: "Microsoft Windows Server 2022" }, 40],
  [{ osPlatform: "WindowsServer2019", version: "1809", osBuild: 17763, scanOs: "Microsoft Windows Server 2019" }, 30],
  [{ osPlatform: "WindowsServer2016", version: "1607", osBuild: 14393, scanOs: "Microsoft Windows Server 2016" }, 20],
  [{ osPlatform: "WindowsServer2012R2", version: "6.3", osBuild: 9600, scanOs: "Microsoft Windows Server 2012 R2" }, 10],
];

/** Linux distributions: platform, version string as the API prints it, scanner OS guess. */
export const LINUX: readonly (readonly [{ osPlatform: string; version: string; scanOs: string }, number])[] = [
  [{ osPlatform: "Ubuntu", version: "22.4", scanOs: "Linux 5.15" }, 35],
  [{ osPlatform: "Ubuntu", version: "20.4", scanOs: "Linux 5.4" }, 20],
  [{ osPlatform: "Debian", version: "12", scanOs: "Linux 6.1" }, 15],
  [{ osPlatform: "RedHatEnterpriseLinux", version: "8.9", scanOs: "Linux 4.18" }, 15],
  [{ osPlatform: "CentOS", version: "7.9", scanOs: "Linux 3.10" }, 5],
  [{ osPlatform: "Linux", version: "Other", scanOs: "Linux" }, 10],
];

/** macOS versions. */
export const MACOS: readonly string[] = ["13.6", "14.5", "14.6", "15.1"];

/** Departments used in workstation names (`fin-lt-0142`). */
export const DEPARTMENTS: readonly string[] = ["fin", "hr", "eng", "ops", "sales", "it", "dev", "mkt", "legal", "sup"];

/** Server roles used in server names (`srv-sql-03`, `web-01`). */
export const SERVER_APPS: readonly string[] = ["sql", "web", "app", "file", "dc", "print", "exch", "sccm", "ca", "backup", "jump", "rds"];

/** Linux host roles (`db-17`, `k8s-node-4`). */
export const LINUX_APPS: readonly string[] = ["db", "web", "k8s-node", "ci", "proxy", "mon", "kafka", "redis", "nfs", "build"];

/** AD DNS domains. `lab.fabrikam.net` holds the twins of `corp.contoso.com` names. */
export const DOMAINS: readonly (readonly [string, number])[] = [
  ["corp.contoso.com", 70],
  ["eu.corp.contoso.com", 20],
  ["lab.fabrikam.net", 10],
];

/** The domain the second of two same-short-name machines lives in. */
export const TWIN_DOMAIN = "lab.fabrikam.net";

/** Device groups: id (a number on the wire) and name (null for group 0). */
export const RBAC_GROUPS: readonly (readonly [readonly [number, string | null], number])[] = [
  [[0, null], 30],
  [[74, "Servers"], 15],
  [[140, "Workstations"], 25],
  [[4712, "Finance Laptops"], 10],
  [[4713, "Engineering"], 10],
  [[5120, "EU Devices"], 10],
];

/** Optional tags; `""` is a real observed value. */
export const TAGS: readonly (readonly [readonly string[], number])[] = [
  [[], 70],
  [["Finance"], 6],
  [["VIP"], 3],
  [["Finance", "VIP"], 2],
  [["Prod"], 8],
  [["Lab"], 5],
  [[""], 3],
  [["PCI", "Prod"], 3],
];

/** NIC vendor prefixes (OUIs, 6 uppercase hex) by kind of device. */
export const OUI = {
  vmware: ["000C29", "005056"],
  hyperv: ["00155D"],
  pc: ["3C2AF4", "8C8CAA", "D481D7", "F8B156", "A4BB6D", "54BF64", "E4B97A"],
  wifi: ["3C6AA7", "84FDD1", "DC215C", "F4D488", "A0A4C5"],
  server: ["B4969E", "ECF4BB", "246E96", "D4F5EF"],
  apple: ["3C22FB", "A45E60", "F01898"],
  printer: ["3C2AF4", "308D99", "001599", "002673"],
  camera: ["4447CC", "BCAD28", "C0562B"],
  phone: ["B0E5ED", "5C8D4E", "ACBC32"],
  azure: ["000D3A", "6045BD", "7C1E52"],
} as const;

/** The MAC every laptop's VPN adapter reports (a virtual adapter with a fixed address). */
export const VPN_MAC = "00059A3C7A00";
/** The MAC of VirtualBox/Hyper-V host-only adapters on many hosts. */
export const HOST_ONLY_MAC = "0A0027000000";
/** The host-only adapter's address, the same on every host that has one. */
export const HOST_ONLY_IP = "192.168.56.1";
/** The Docker bridge address on every Linux host with Docker. */
export const DOCKER_BRIDGE_IP = "172.17.0.1";
/** The 16-hex pseudo-MAC of ISATAP tunnel adapters. */
export const ISATAP_MAC = "00000000000000E0";
