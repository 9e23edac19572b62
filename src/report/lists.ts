/**
 * The long lists of the report: assets missing the control (EDR) and unhealthy sensors. Plain tables with
 * as few elements per row as possible (styling by column in the stylesheet), cut into
 * `<tbody>` chunks the browser lays out only when on screen, so 100k rows stay usable
 * without a script.
 */
import { count, date } from "./format.js";
import { cellText, html, joinHtml, trustedConstant, type Html, type Part } from "./html.js";
import type { ReportModel, SourceState } from "./model.js";

/** Rows per `<tbody>`: the unit the browser skips while off screen (`content-visibility`). */
const CHUNK = 500;

const BR = trustedConstant("<br>");

/** An empty cell: plain text, no element. */
const NONE = "—";

/** A cell of several values, one a line. */
export const values = (list: readonly string[]): Part => (list.length === 0 ? NONE : joinHtml(list.map(cellText), BR));

/** A cell of one value, or {@link NONE}. */
const single = (text: string | null): Part => (text === null ? NONE : cellText(text));

/** Defender's `healthStatus` words for people: `NoSensorDataImpairedCommunication` → `No sensor data, impaired communication`. */
const HEALTH: ReadonlyMap<string, string> = new Map([
  ["ImpairedCommunication", "Impaired communication"],
  ["NoSensorData", "No sensor data"],
  ["NoSensorDataImpairedCommunication", "No sensor data, impaired communication"],
  ["Inactive", "Inactive"],
  ["Unknown", "Unknown"],
]);

/** Defender's other `onboardingStatus` values, for people. */
const ONBOARDING: ReadonlyMap<string, string> = new Map([
  ["Unsupported", "unsupported OS"],
  ["InsufficientInfo", "insufficient info"],
  ["Onboarded", "onboarded"],
]);

/** Defender's `onboardingStatus` of a discovered device, for people; "can be onboarded" stands out: it is the quick fix. */
const onboarding = (value: string): Part =>
  value === "CanBeOnboarded"
    ? html`<span class="onboard" title="onboardingStatus ${value}">can be onboarded</span>`
    : (ONBOARDING.get(value) ?? cellText(value));

/** The "In <source>" / "Sensor health" cell. */
const inSource = (state: SourceState, source: string): Html => {
  switch (state._tag) {
    case "NotInSource":
      return html`not in ${source}`;
    case "Discovered":
      return html`discovered · ${state.onboarding.length > 0 ? joinHtml(state.onboarding.map(onboarding), ", ") : "not onboarded"}`;
    case "Unhealthy":
      return joinHtml(
        state.health.map((v) => html`<span title="healthStatus ${v}">${HEALTH.get(v) ?? cellText(v)}</span>`),
        BR,
      );
  }
};

/** Rows in `<tbody>` chunks of {@link CHUNK}. */
export const chunked = <R>(rows: readonly R[], row: (r: R, index: number) => Html): Html[] => {
  const bodies: Html[] = [];
  for (let start = 0; start < rows.length; start += CHUNK) {
    const slice = rows.slice(start, start + CHUNK);
    const last = start + CHUNK >= rows.length;
    bodies.push(html`<tbody class="chunk${last ? " last" : ""}">${slice.map((r, i) => row(r, start + i))}</tbody>`);
  }
  return bodies;
};

/** The assets missing the control, or a sentence saying there are none (and why, in an incomplete run). */
export const missingList = (m: ReportModel): Html => {
  if (m.missing.length === 0) {
    if (m.run.complete && !m.run.incremental) return html`<p>No scanned asset is missing ${m.labels.control}.</p>`;
    const why = m.run.complete ? "the run was an incremental sync" : "the run was incomplete";
    return html`<p>No asset is called missing: ${why}, so ${count(m.totals.unknown)} asset(s) without a healthy match are unknown.</p>`;
  }
  return html`<table class="list missing">
<colgroup><col class="n"><col class="id"><col class="names"><col class="addr"><col class="mac"><col class="os"><col></colgroup>
<thead><tr><th class="num">#</th><th>Asset</th><th>Names</th><th>Addresses</th><th>MACs</th><th>OS</th><th>In ${m.labels.source}</th></tr></thead>
${chunked(
  m.missing,
  (r, i) => html`
<tr><td>${i + 1}</td><td>${cellText(r.id)}</td><td>${values(r.names)}</td><td>${values(r.addresses)}</td><td>${values(r.macs)}</td><td>${single(r.os)}</td><td>${inSource(r.source, m.labels.source)}</td></tr>`,
)}
</table>`;
};

/** The assets whose sensor is onboarded but not healthy. */
export const unhealthyList = (m: ReportModel): Html => {
  if (m.unhealthy.length === 0) return html`<p>No onboarded sensor is unhealthy.</p>`;
  return html`<table class="list unhealthy">
<colgroup><col class="n"><col class="id"><col class="names"><col class="addr"><col class="os"><col><col class="seen"></colgroup>
<thead><tr><th class="num">#</th><th>Asset</th><th>Names</th><th>Addresses</th><th>OS</th><th>Sensor health</th><th class="num">Last seen</th></tr></thead>
${chunked(
  m.unhealthy,
  (r, i) => html`
<tr><td>${i + 1}</td><td>${cellText(r.id)}</td><td>${values(r.names)}</td><td>${values(r.addresses)}</td><td>${single(r.os)}</td><td>${inSource(r.source, m.labels.source)}</td><td>${r.lastSeen === null ? NONE : date(r.lastSeen)}</td></tr>`,
)}
</table>`;
};
