/**
 * Prints a decided host (`HostSpec`) as the hosts API serves it: every field of the
 * reference's example host (§4), strings for numbers, timestamps to the second with `Z`,
 * MACs lowercase with dashes, and optional fields missing on some hosts. The filler fields
 * are drawn from `spec.key`, so a host prints the same way every time.
 */
import { rngAt } from "../gen/rng.js";
import type { Rng } from "../gen/rng.js";
import { hex32 } from "./ids.js";
import type { FalconPlatform, HostSpec } from "./spec.js";

const SALT_RECORD = 0xfa1c1;
const SALT_TENANT = 0xfa1c2;

/** Prints epoch ms as the API does: RFC 3339 UTC to the second, with `Z`. */
export const falconTime = (ms: number): string => `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;

/** A policy assignment time: nanosecond RFC 3339, as `device_policies.*.assigned_date` prints it. */
const nanoTime = (rng: Rng, ms: number): string =>
  `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}.${String(rng.int(1e9)).padStart(9, "0")}Z`;

/** A MAC (12 hex digits, any case) printed the Falcon way: `3c-22-fb-1a-2b-3c`. */
export const dashedMac = (mac: string): string => (mac.toLowerCase().match(/../g) ?? []).join("-");

/** The tenant-wide ids hosts refer to: groups and policies, drawn from the seed. */
export interface TenantIds {
  readonly cid: string;
  readonly groups: readonly string[];
  readonly preventionPolicies: readonly string[];
  readonly sensorUpdatePolicy: string;
}

/** The CID, host groups and policy ids of a simulated customer with `seed`. */
export const tenantIds = (seed: number): TenantIds => {
  const rng = rngAt(seed, 0, SALT_TENANT);
  return {
    cid: hex32(rng),
    groups: [hex32(rng), hex32(rng), hex32(rng), hex32(rng)],
    preventionPolicies: [hex32(rng), hex32(rng)],
    sensorUpdatePolicy: hex32(rng),
  };
};

interface OsFacts {
  readonly os_version: string;
  readonly os_build?: string;
  readonly os_product_name?: string;
  readonly kernel_version: string;
  readonly major_version: string;
  readonly minor_version: string;
  readonly platform_id: string;
  readonly agent_version: string;
}

const osOf = (rng: Rng, platform: FalconPlatform, server: boolean): OsFacts => {
  if (platform === "Windows") {
    const build = server ? rng.pick(["20348", "17763", "14393"]) : rng.pick(["22631", "22621", "19045", "26100"]);
    const name = server
      ? { "20348": "Windows Server 2022", "17763": "Windows Server 2019", "14393": "Windows Server 2016" }[build]
      : build === "19045"
        ? "Windows 10"
        : "Windows 11";
    const version = name ?? "Windows 11";
    return {
      os_version: version,
      os_build: build,
      os_product_name: server ? `${version} Standard` : `${version} Enterprise`,
      kernel_version: `10.0.${build}.${rng.range(1000, 5999)}`,
      major_version: "10",
      minor_version: "0",
      platform_id: "0",
      agent_version: `7.${rng.range(14, 20)}.${rng.range(17000, 19999)}.0`,
    };
  }
  if (platform === "Mac") {
    const [version, major, build] = rng.pick([
      ["Ventura (13)", "22", "22G120"],
      ["Sonoma (14)", "23", "23F79"],
      ["Sequoia (15)", "24", "24B83"],
    ] as const);
    return {
      os_version: version,
      os_build: build,
      os_product_name: "macOS",
      kernel_version: `${major}.${rng.range(1, 6)}.0`,
      major_version: major,
      minor_version: String(rng.range(0, 6)),
      platform_id: "1",
      agent_version: `7.${rng.range(14, 20)}.${rng.range(17000, 19999)}.0`,
    };
  }
  const [version, kernel] = rng.pick([
    ["Ubuntu 22.04", "5.15.0-105-generic"],
    ["Ubuntu 24.04", "6.8.0-35-generic"],
    ["RHEL 8.9", "4.18.0-513.24.1.el8_9.x86_64"],
    ["Debian 12", "6.1.0-21-amd64"],
    ["Amazon Linux 2", "5.10.216-204.855.amzn2.x86_64"],
  ] as const);
  const [major, minor] = kernel.split(".");
  return {
    os_version: version,
    kernel_version: kernel,
    major_version: major ?? "5",
    minor_version: minor ?? "0",
    platform_id: "3",
    agent_version: `7.${rng.range(14, 20)}.${rng.range(17000, 19999)}.0`,
  };
};

const hardwareOf = (rng: Rng, platform: FalconPlatform, server: boolean): Record<string, string> => {
  if (platform === "Mac")
    return {
      bios_manufacturer: "Apple Inc.",
      bios_version: `${rng.range(2000, 2100)}.120.${rng.range(1, 9)}.0.0`,
      system_manufacturer: "Apple Inc.",
      system_product_name: rng.pick(["MacBookPro18,3", "Mac14,2", "Mac15,3"]),
      chassis_type: "9",
      chassis_type_desc: "Laptop",
    };
  if (server && rng.chance(0.6))
    return {
      bios_manufacturer: rng.pick(["VMware, Inc.", "Microsoft Corporation", "Amazon EC2"]),
      bios_version: `${rng.range(1, 6)}.${rng.range(0, 30)}.0`,
      system_manufacturer: rng.pick(["VMware, Inc.", "Microsoft Corporation", "Amazon EC2"]),
      system_product_name: rng.pick(["VMware Virtual Platform", "Virtual Machine", "m5.large"]),
      chassis_type: "1",
      chassis_type_desc: "Other",
    };
  if (server)
    return {
      bios_manufacturer: "Dell Inc.",
      bios_version: `2.${rng.range(10, 21)}.${rng.range(0, 9)}`,
      system_manufacturer: "Dell Inc.",
      system_product_name: rng.pick(["PowerEdge R650", "PowerEdge R750"]),
      chassis_type: "23",
      chassis_type_desc: "Rack Mount Chassis",
    };
  const laptop = rng.chance(0.6);
  return {
    bios_manufacturer: rng.pick(["Dell Inc.", "LENOVO", "HP"]),
    bios_version: `1.${rng.range(2, 30)}.0`,
    system_manufacturer: rng.pick(["Dell Inc.", "LENOVO", "HP"]),
    system_product_name: laptop ? rng.pick(["Latitude 7440", "ThinkPad T14 Gen 4", "EliteBook 840 G10"]) : rng.pick(["OptiPlex 7010", "ThinkCentre M70q"]),
    chassis_type: laptop ? "9" : "3",
    chassis_type_desc: laptop ? "Laptop" : "Desktop",
  };
};

const externalIpOf = (rng: Rng): string => `203.0.113.${rng.range(1, 254)}`;

const gatewayOf = (ip: string): string => {
  const parts = ip.split(".");
  return parts.length === 4 ? `${parts.slice(0, 3).join(".")}.1` : ip;
};

/** Prints `spec` (a fresh object each call). */
export const hostRecord = (spec: HostSpec, tenant: TenantIds): Record<string, unknown> => {
  const rng = rngAt(spec.key, 0, SALT_RECORD);
  const server = spec.productType !== "Workstation";
  const os = osOf(rng, spec.platform, server);
  const hw = hardwareOf(rng, spec.platform, server);
  const mac = dashedMac(spec.mac);
  const modifiedMs = spec.lastSeenMs + rng.int(120_000);
  const assigned = spec.firstSeenMs + rng.int(Math.max(1, spec.lastSeenMs - spec.firstSeenMs));
  const prevention = {
    policy_type: "prevention",
    policy_id: rng.pick(tenant.preventionPolicies),
    applied: rng.chance(0.97),
    settings_hash: rng.hex(8).toLowerCase(),
    assigned_date: nanoTime(rng, assigned),
    applied_date: rng.chance(0.95) ? nanoTime(rng, assigned + 60_000) : null,
    rule_groups: [],
  };
  const sensorUpdate = {
    policy_type: "sensor-update",
    policy_id: tenant.sensorUpdatePolicy,
    applied: true,
    settings_hash: `tagged|${rng.range(1, 30)};101`,
    assigned_date: nanoTime(rng, assigned),
    applied_date: nanoTime(rng, assigned + 120_000),
    uninstall_protection: rng.chance(0.9) ? "ENABLED" : "UNKNOWN",
  };
  const department = rng.pick(["Finance", "Engineering", "Operations", "Sales", "IT"]);
  const record: Record<string, unknown> = {
    device_id: spec.id,
    cid: tenant.cid,
    agent_load_flags: "0",
    agent_local_time: `${new Date(spec.lastSeenMs - rng.int(60_000)).toISOString()}`,
    agent_version: os.agent_version,
    ...hw,
    config_id_base: "65994763",
    config_id_build: os.agent_version.split(".")[2] ?? "17106",
    config_id_platform: spec.platform === "Windows" ? "3" : spec.platform === "Mac" ? "4" : "8",
    connection_ip: spec.localIp,
    connection_mac_address: mac,
    default_gateway_ip: gatewayOf(spec.localIp),
    external_ip: spec.egress ?? externalIpOf(rng),
    local_ip: spec.localIp,
    mac_address: mac,
    hostname: spec.hostname,
    ...(spec.domain !== null ? { machine_domain: spec.domain } : {}),
    ...(spec.domain !== null && spec.platform === "Windows" ? { site_name: "Default-First-Site-Name" } : {}),
    ...(spec.platform === "Windows" && rng.chance(0.7) ? { ou: server ? ["Servers"] : ["Workstations", department] } : {}),
    first_seen: falconTime(spec.firstSeenMs),
    last_seen: falconTime(spec.lastSeenMs),
    modified_timestamp: falconTime(modifiedMs),
    os_version: os.os_version,
    ...(os.os_build !== undefined ? { os_build: os.os_build } : {}),
    ...(os.os_product_name !== undefined ? { os_product_name: os.os_product_name } : {}),
    kernel_version: os.kernel_version,
    major_version: os.major_version,
    minor_version: os.minor_version,
    platform_id: os.platform_id,
    platform_name: spec.platform,
    product_type: spec.productType === "Workstation" ? "1" : spec.productType === "Domain Controller" ? "2" : "3",
    product_type_desc: spec.productType,
    ...(spec.serial !== null ? { serial_number: spec.serial } : {}),
    status: spec.status,
    reduced_functionality_mode: spec.rfm ? "yes" : "no",
    provision_status: "Provisioned",
    filesystem_containment_status: spec.status === "contained" ? "contained" : "normal",
    ...(spec.platform === "Linux" ? { linux_sensor_mode: rng.chance(0.8) ? "Kernel Mode" : "User Mode" } : {}),
    rtr_state: "enabled",
    deployment_type: "Standard",
    groups: rng.chance(0.1) ? [] : [rng.pick(tenant.groups)],
    group_hash: rng.hex(64).toLowerCase(),
    tags: rng.chance(0.3) ? [] : [`FalconGroupingTags/${department}`],
    policies: [prevention],
    device_policies: { prevention, sensor_update: sensorUpdate },
    meta: { version: String(rng.range(1000, 9999)), version_string: `${rng.range(1, 9)}:${rng.range(10_000_000, 99_999_999)}` },
  };
  if (rng.chance(0.05)) record["groups"] = null; // arrays may be null (reference §4)
  if (spec.platform === "Windows" && !server && rng.chance(0.6)) {
    record["last_login_user"] = `${department.toLowerCase().slice(0, 3)}.user${rng.range(1, 999)}`;
    record["last_login_timestamp"] = falconTime(spec.lastSeenMs - rng.int(86_400_000));
  }
  if (rng.chance(0.03)) record["slow_changing_modified_timestamp"] = falconTime(modifiedMs); // not in the swagger, seen in real payloads
  return record;
};
