import { test } from "node:test";
import assert from "node:assert/strict";
import { datetimeKey, FilterError, matches, parseFilter } from "../../src/simulator/odata-filter.js";

const machine = {
  id: "00aa",
  computerDnsName: "FIN-LT-0142.corp.contoso.com",
  healthStatus: "Active",
  onboardingStatus: "Onboarded",
  lastSeen: "2025-05-30T10:11:12.1234567Z",
  rbacGroupId: 74,
  aadDeviceId: null,
  machineTags: ["Finance", "O'Brien"],
  osPlatform: "Windows11",
};

test("filters that hold and filters that do not", () => {
  const cases: [string, boolean][] = [
    ["healthStatus eq 'Active'", true],
    ["healthStatus eq 'active'", true],
    ["HealthStatus EQ 'Active'", true],
    ["healthStatus ne 'Active'", false],
    ["lastSeen gt 2025-05-30T10:11:12Z", true],
    ["lastSeen gt 2025-05-30T10:11:12.1234567Z", false],
    ["lastSeen ge 2025-05-30T10:11:12.1234567Z", true],
    ["lastSeen lt 2025-05-31Z", true],
    ["lastSeen le 2025-05-30T12:11:13+02:00", true],
    ["lastSeen le 2025-05-30T12:11:12+02:00", false],
    ["rbacGroupId eq 74", true],
    ["rbacGroupId gt 74", false],
    ["rbacGroupId ge 74 and rbacGroupId le 74", true],
    ["aadDeviceId eq null", true],
    ["aadDeviceId ne null", false],
    ["startswith(computerDnsName,'fin-')", true],
    ["startswith(computerDnsName, 'hr-')", false],
    ["healthStatus eq 'Inactive' or (osPlatform eq 'Windows11' and onboardingStatus eq 'Onboarded')", true],
    ["healthStatus eq 'Inactive' or osPlatform eq 'Windows11' and onboardingStatus eq 'CanBeOnboarded'", false],
    ["not healthStatus eq 'Inactive'", true],
    ["machineTags/any(t: t eq 'finance')", true],
    ["machineTags/any(t: t eq 'O''Brien')", true],
    ["machineTags/any(t: t eq 'VIP')", false],
    ["computerDnsName gt 'a'", true],
  ];
  for (const [filter, expected] of cases) assert.equal(matches(parseFilter(filter), machine), expected, filter);
});

test("unsupported or malformed filters throw FilterError with OData-style messages", () => {
  const bad: [string, RegExp][] = [
    ["", /empty/],
    ["firstSeen gt 2024-01-01Z", /Could not find a property named 'firstSeen'/],
    ["healthStatus eq Active", /not a literal/],
    ["healthStatus eq 5", /incompatible types.*'Edm.String' and 'Edm.Int32'/],
    ["lastSeen gt '2024-01-01'", /incompatible types/],
    ["rbacGroupId gt null", /incompatible types/],
    ["contains(computerDnsName,'x')", /unknown function with name 'contains'/],
    ["startswith(rbacGroupId,'x')", /No function signature/],
    ["'Active' eq healthStatus", /property name is expected/],
    ["healthStatus eq 'Active' and", /expression is expected/],
    ["(healthStatus eq 'Active'", /'\)' expected/],
    ["healthStatus eq 'unterminated", /unterminated string/],
    ["healthStatus has 'x'", /comparison operator/],
    ["healthStatus eq 'x' extra", /Syntax error/],
    ["lastSeen gt 2024-13-45Z", /DateTimeOffset/],
    ["osPlatform/any(t: t eq 'x')", /not a single value|Only the lambda/],
  ];
  for (const [filter, message] of bad)
    assert.throws(
      () => parseFilter(filter),
      (e: unknown) => e instanceof FilterError && message.test(e.message),
      filter,
    );
});

test("datetime keys order instants, whatever the precision or offset", () => {
  assert.equal(datetimeKey("2025-01-02Z"), "2025-01-02T00:00:00.0000000");
  assert.equal(datetimeKey("2025-01-02T03:04:05.5Z"), "2025-01-02T03:04:05.5000000");
  assert.equal(datetimeKey("2025-01-02T05:04:05+02:00"), "2025-01-02T03:04:05.0000000");
  assert.equal(datetimeKey("yesterday"), null);
  assert.ok((datetimeKey("2025-01-02T03:04:05.12Z") ?? "") > (datetimeKey("2025-01-02T03:04:05.1199999Z") ?? ""));
});
