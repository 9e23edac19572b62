import { test } from "node:test";
import assert from "node:assert/strict";
import { generateTenant, verdictOf } from "../../src/simulator/index.js";
import { MachineCodec } from "../../src/probes/defender365/machine.js";

const tenant = generateTenant({ seed: 1, devices: 400, assets: true });
const machines = Array.from({ length: tenant.count }, (_, i) => tenant.machineAt(i));
const nics = machines.flatMap((m) => m["ipAddresses"] as { ipAddress: string; macAddress: string | null; type: string | null; operationalStatus: string }[]);

/** The wire order, as the client's codec lists it (reference §3.3): the simulator must emit exactly these, in this order. */
const FIELD_ORDER = Object.keys(MachineCodec.props);

test("same seed, same machines; machineAt(i) does not depend on call order", () => {
  const again = generateTenant({ seed: 1, devices: 400 });
  for (const i of [399, 0, 17, 200, 3, 2]) assert.deepEqual(again.machineAt(i), machines[i]);
  const other = generateTenant({ seed: 2, devices: 400 });
  assert.notDeepEqual(other.machineAt(5), machines[5]);
  assert.deepEqual(generateTenant({ seed: 1, devices: 400, assets: true }).assets, tenant.assets, "assets are deterministic too");
});

test("every record has every 2023+ field in wire order; ids are 40 hex and ascend with the index", () => {
  for (const m of machines) assert.deepEqual(Object.keys(m), FIELD_ORDER);
  const ids = machines.map((m) => String(m["id"]));
  for (const id of ids) assert.match(id, /^[0-9a-f]{40}$/);
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(tenant.idAt(7), ids[7]);
  assert.throws(() => tenant.machineAt(400), RangeError);
});

test("timestamps are ISO UTC with 0–7 fractional digits, several precisions occur; lastSeen is not after now", () => {
  const precisions = new Set<number>();
  for (const m of machines) {
    for (const key of ["firstSeen", "lastSeen"]) {
      const v = String(m[key]);
      const match = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.(\d{1,7}))?Z$/.exec(v);
      assert.ok(match, v);
      precisions.add(match[1]?.length ?? 0);
    }
    assert.ok(Date.parse(String(m["lastSeen"])) <= Date.parse(tenant.now));
    assert.ok(Date.parse(String(m["firstSeen"])) <= Date.parse(String(m["lastSeen"])) + 1);
  }
  assert.ok(precisions.size >= 4, `precisions ${[...precisions]}`);
});

test("the mix: Windows, servers, Linux, discovered devices, inactive and impaired sensors", () => {
  const count = (p: (m: Record<string, unknown>) => boolean): number => machines.filter(p).length;
  assert.ok(count((m) => m["osPlatform"] === "Windows10" || m["osPlatform"] === "Windows11") > 100);
  assert.ok(count((m) => String(m["osPlatform"]).startsWith("WindowsServer")) > 10);
  assert.ok(count((m) => ["Ubuntu", "Debian", "RedHatEnterpriseLinux", "CentOS", "Linux"].includes(String(m["osPlatform"]))) > 20);
  for (const s of ["CanBeOnboarded", "Unsupported", "InsufficientInfo"]) assert.ok(count((m) => m["onboardingStatus"] === s) > 0, s);
  for (const h of ["Inactive", "ImpairedCommunication", "NoSensorData"]) assert.ok(count((m) => m["healthStatus"] === h) > 0, h);
  const discovered = machines.filter((m) => m["onboardingStatus"] !== "Onboarded");
  assert.ok(discovered.every((m) => m["osProcessor"] === null && m["lastExternalIpAddress"] === null && m["osArchitecture"] === null));
  assert.ok(discovered.some((m) => (m["ipAddresses"] as { type: unknown }[]).some((n) => n.type === null)));
  assert.ok(machines.some((m) => String(m["computerDnsName"]).endsWith(".corp.contoso.com")));
  assert.ok(
    machines.some((m) => /^[A-Z0-9-]+$/.test(String(m["computerDnsName"]))),
    "some short uppercase names",
  );
  assert.ok(machines.some((m) => m["vmMetadata"] !== null));
  const inactive = machines.filter((m) => m["healthStatus"] === "Inactive" && m["onboardingStatus"] === "Onboarded");
  assert.ok(
    inactive.every((m) => Date.parse(tenant.now) - Date.parse(String(m["lastSeen"])) > 7 * 86_400_000),
    "Inactive = no report for over 7 days",
  );
});

test("MAC and IP noise of reference §7.9–7.10", () => {
  const has = (p: (n: (typeof nics)[number]) => boolean, what: string): void => assert.ok(nics.some(p), what);
  has((n) => n.ipAddress === "127.0.0.1" && n.macAddress === null, "loopback with null MAC");
  has((n) => n.ipAddress === "127.0.0.1" && n.macAddress === "", "loopback with empty MAC");
  has((n) => n.ipAddress === "127.0.0.1" && n.macAddress === "000000000000", "Linux loopback with zero MAC");
  has((n) => n.ipAddress.startsWith("fe80::") && !n.ipAddress.startsWith("fe80::5efe:"), "link-local IPv6");
  has((n) => n.ipAddress.startsWith("169.254."), "APIPA");
  has((n) => /^fe80::5efe:\d+\.\d+\.\d+\.\d+$/.test(n.ipAddress) && n.macAddress === "00000000000000E0" && n.type === "Tunnel", "ISATAP");
  has((n) => n.operationalStatus === "Down", "addresses on Down adapters");
  const docker = nics.filter((n) => n.ipAddress === "172.17.0.1");
  assert.ok(docker.length >= 2 && docker.every((n) => n.macAddress?.startsWith("0242")), "Docker bridge shared by several hosts");
  assert.ok(nics.filter((n) => n.macAddress === "00059A3C7A00").length >= 5, "the same VPN MAC on many laptops");
  assert.ok(
    nics.some((n) => n.macAddress === "00059A3C7A00" && /^10\.25[0-3]\./.test(n.ipAddress) && n.operationalStatus === "Up"),
    "a laptop on the VPN",
  );
  assert.ok(nics.filter((n) => n.ipAddress === "192.168.56.1" && n.macAddress === "0A0027000000").length >= 2, "host-only adapter on several hosts");
  assert.ok(
    machines.some((m) => (m["ipAddresses"] as unknown[]).length === 0 && m["lastIpAddress"] !== null),
    "ipAddresses [] with lastIpAddress set",
  );
  const byIp = new Map<string, number>();
  for (const m of machines) byIp.set(String(m["lastIpAddress"]), (byIp.get(String(m["lastIpAddress"])) ?? 0) + 1);
  assert.ok(
    [...byIp.values()].some((n) => n >= 2),
    "DHCP reuse: one lastIpAddress on two records",
  );
});

test("re-imaged duplicates: an old Inactive record and a new one with the same name; duplication fields used", () => {
  const byName = new Map<string, Record<string, unknown>[]>();
  for (const m of machines)
    if (m["computerDnsName"] !== null) byName.set(String(m["computerDnsName"]), [...(byName.get(String(m["computerDnsName"])) ?? []), m]);
  const pairs = [...byName.values()].filter((l) => l.length === 2);
  assert.ok(pairs.length >= 3);
  for (const [old, young] of pairs) {
    assert.equal(old?.["healthStatus"], "Inactive");
    assert.ok(Date.parse(String(old?.["lastSeen"])) < Date.parse(String(young?.["firstSeen"])), "the old record stopped before the new one started");
    if (old?.["mergedIntoMachineId"] !== null) assert.equal(old?.["mergedIntoMachineId"], young?.["id"]);
  }
  assert.ok(machines.some((m) => m["mergedIntoMachineId"] !== null));
  assert.ok(machines.some((m) => m["isPotentialDuplication"] === true));
});

test("scanned assets: spellings vary, traps exist, truth covers every asset and machine", () => {
  const { assets, truth } = tenant;
  assert.ok(assets.length > 250);
  assert.match(assets[0]?.id ?? "", /^asset-\d{6}$/);
  assert.equal(Object.keys(truth.assets).length, assets.length);
  assert.equal(Object.keys(truth.machines).length, machines.length);
  const macs = assets.flatMap((a) => a.macs ?? []);
  assert.ok(
    macs.some((m) => /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(m)),
    "colon lowercase",
  );
  assert.ok(
    macs.some((m) => /^([0-9A-F]{2}-){5}[0-9A-F]{2}$/.test(m)),
    "dashes",
  );
  assert.ok(
    macs.some((m) => /^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/.test(m)),
    "Cisco dots",
  );
  const addresses = assets.flatMap((a) => a.addresses ?? []);
  assert.ok(
    addresses.some((a) => /^(::ffff:|::FFFF:|0:0:0:0:0:ffff:)\d/.test(a)),
    "IPv4-mapped IPv6",
  );
  assert.ok(
    addresses.some((a) => a.includes(":") && !a.includes(".")),
    "IPv6",
  );
  const names = assets.flatMap((a) => a.names ?? []);
  assert.ok(
    names.some((n) => n.endsWith(".")),
    "trailing dot",
  );
  assert.ok(
    names.some((n) => n === n.toUpperCase() && n.includes(".")),
    "upper-case FQDN",
  );
  assert.ok(
    assets.some((a) => a.macs === undefined),
    "assets without MAC (not on the same L2)",
  );

  const stories = Object.values(truth.assets).map((t) => t.story);
  for (const s of ["managed", "reimaged", "dhcp-current", "twin", "discovered", "dhcp-impostor", "unmanaged", "vpn"] as const)
    assert.ok(stories.includes(s), s);
  for (const t of Object.values(truth.assets)) {
    const records = t.machineIds.map((id) => machines.find((m) => m["id"] === id));
    assert.ok(records.every((r) => r !== undefined));
    assert.equal(t.verdict, verdictOf(records as { onboardingStatus: string; healthStatus: string }[]));
    for (const id of t.machineIds) assert.equal(truth.machines[id], t.assetId);
  }
  const reimaged = Object.values(truth.assets).filter((t) => t.story === "reimaged");
  assert.ok(reimaged.every((t) => t.machineIds.length === 2));
  const verdicts = new Set(Object.values(truth.assets).map((t) => t.verdict));
  assert.deepEqual([...verdicts].sort(), ["missing", "protected", "unhealthy"]);
});

test("traps: a DHCP impostor at a Defender laptop's last address with another MAC; twins share a short name across domains", () => {
  const { assets, truth } = tenant;
  const impostors = assets.filter((a) => truth.assets[a.id]?.story === "dhcp-impostor");
  assert.ok(impostors.length >= 1);
  for (const a of impostors) {
    const ip = a.addresses?.[0];
    const laptop = machines.find((m) => m["lastIpAddress"] === ip);
    assert.ok(laptop, "a Defender record reports the impostor's address");
    assert.equal(laptop["healthStatus"], "Active");
    assert.equal(truth.machines[String(laptop["id"])], null, "the laptop is not that asset");
    assert.equal(truth.assets[a.id]?.verdict, "missing");
    const laptopMacs = (laptop["ipAddresses"] as { macAddress: string | null }[]).map((n) => n.macAddress);
    for (const mac of a.macs ?? []) assert.ok(!laptopMacs.includes(mac.replace(/[^0-9a-f]/gi, "").toUpperCase()));
  }
  const twins = Object.values(truth.assets)
    .filter((t) => t.story === "twin")
    .map((t) => machines.find((m) => m["id"] === t.machineIds[0]));
  const shortNames = twins.map((m) => String(m?.["computerDnsName"]).split(".")[0]);
  assert.ok(
    shortNames.some((n, k) => shortNames.indexOf(n) !== k),
    "two twins share a short name",
  );
  const domains = new Set(twins.map((m) => String(m?.["computerDnsName"]).split(".").slice(1).join(".")));
  assert.ok(domains.size >= 2);
});

test("verdicts: Inactive records are ignored, discovered records never protect", () => {
  const r = (onboardingStatus: string, healthStatus: string) => ({ onboardingStatus, healthStatus });
  assert.equal(verdictOf([r("Onboarded", "Inactive"), r("Onboarded", "Active")]), "protected");
  assert.equal(verdictOf([r("Onboarded", "Inactive"), r("Onboarded", "ImpairedCommunication")]), "unhealthy");
  assert.equal(verdictOf([r("Onboarded", "Inactive")]), "missing");
  assert.equal(verdictOf([r("CanBeOnboarded", "Active")]), "missing");
  assert.equal(verdictOf([]), "missing");
});

test("a million-device tenant builds pages on demand", () => {
  const big = generateTenant({ seed: 9, devices: 1_000_000 });
  const started = performance.now();
  const page = Array.from({ length: 1000 }, (_, k) => big.machineAt(999_000 + k));
  assert.ok(performance.now() - started < 5_000);
  assert.ok(String(page[0]?.["id"]) < String(page[999]?.["id"]));
  assert.deepEqual(big.machineAt(999_500), page[500]);
});

test("sites and where devices reported from: egress per site, routed branches without MACs, homes reusing branch ranges, NetBIOS and split-DNS names", () => {
  const big = generateTenant({ seed: 1, devices: 3000, assets: true });
  const all = Array.from({ length: big.count }, (_, i) => big.machineAt(i));
  const classesOf = (m: Record<string, unknown>): readonly string[] => big.truth.machineClasses[String(m["id"])] ?? [];
  const onboarded = all.filter((m) => m["onboardingStatus"] === "Onboarded");
  const egressOf = (c: string): Set<unknown> => new Set(onboarded.filter((m) => classesOf(m).includes(c)).map((m) => m["lastExternalIpAddress"]));
  for (const c of ["hq", "branch"]) assert.ok(egressOf(c).size <= 3, `${c}: a few egress addresses shared by its devices`);
  assert.ok(egressOf("home").size > 20, "households each have their own");
  assert.equal([...egressOf("home")].filter((e) => egressOf("branch").has(e)).length, 0, "no household shares a branch's egress");

  const sites = new Set(big.assets.map((a) => a.site));
  assert.deepEqual([...sites].sort(), ["branch-a", "branch-b", "cloud", "hq", "vpn"]);
  assert.ok(
    big.assets.every((a) => a.site === "hq" || a.macs === undefined),
    "MACs only where the scanner shares a subnet",
  );

  const home = all.filter((m) => classesOf(m).includes("home"));
  assert.ok(home.length > 10);
  assert.ok(
    home.every((m) => big.truth.machines[String(m["id"])] === null),
    "a laptop at home without VPN is no scanned asset",
  );
  const homeAddresses = new Set(
    all
      .filter((m) => classesOf(m).some((c) => c === "home" || c === "vpn"))
      .flatMap((m) => (m["ipAddresses"] as { ipAddress: string }[]).map((n) => n.ipAddress)),
  );
  const branchAddresses = big.assets.filter((a) => a.site?.startsWith("branch")).flatMap((a) => a.addresses ?? []);
  assert.ok(branchAddresses.filter((ip) => homeAddresses.has(ip)).length >= 3, "home routers hand out addresses a branch host has");
  const vpnNics = home
    .concat(all.filter((m) => classesOf(m).includes("vpn")))
    .flatMap((m) => m["ipAddresses"] as { type: string | null; macAddress: string | null }[]);
  assert.ok(
    vpnNics.some((n) => n.type === "Ppp"),
    "a Windows VPN (PPP) adapter",
  );
  assert.ok(
    vpnNics.some((n) => n.macAddress === "00059A3C7A00"),
    "an AnyConnect adapter",
  );

  const assetClasses = Object.values(big.truth.assets).flatMap((t) => t.classes);
  for (const c of ["netbios", "netbios-truncated", "split-dns", "branch"]) assert.ok(assetClasses.filter((x) => x === c).length > 10, c);
  const names = big.assets.flatMap((a) => a.names ?? []);
  assert.ok(
    names.some((n) => /^[A-Z0-9-]{15}$/.test(n)),
    "NetBIOS names cut at 15 characters",
  );
  assert.ok(
    names.some((n) => n.toLowerCase().replace(/\.$/, "").endsWith(".contoso.local")),
    "reverse DNS under the internal suffix",
  );
});
