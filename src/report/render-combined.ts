/**
 * Renders a scan task's report: the combined view first (the verdict of each asset across
 * every run, the vendor(s) that decided it, the combined counts, whether every run was
 * complete), then each run's own section as a run's page shows it. Same page rules as
 * `render.ts`: inline CSS, no script, every value escaped.
 */
import type { CoverageStatus } from "../contract.js";
import type { CombinedReportModel, CombinedRow } from "./combined.js";
import { count, dateTime, percent } from "./format.js";
import { cellText, html, joinHtml, type Html } from "./html.js";
import { chunked, values } from "./lists.js";
import { STATUSES } from "./model.js";
import { card, describe, legend, page, runBody, stackedBar, verdictLegend, type Verdicts } from "./render.js";

/** The combined verdicts, in words that name no vendor: any vendor may be the one. */
const combinedVerdicts = (control: string): Verdicts => ({
  protected: { label: "Protected", meaning: `Some ${control} probe calls it protected` },
  unhealthy: { label: "Unhealthy", meaning: `No ${control} protects it; some sensor is there but not healthy` },
  missing: { label: `Missing ${control}`, meaning: `No ${control} of any vendor, and every run read its whole list` },
  unknown: { label: "Unknown", meaning: "Not protected by any run, and some run did not read its whole list: no verdict" },
});

const NONE = "—";

/** The sentence under the title. */
const lead = (m: CombinedReportModel): Html => {
  const t = m.totals;
  if (t.total === 0) return html`<p class="lead">The summary lists no scanned assets: there is no coverage to show.</p>`;
  const others = (statuses: readonly CoverageStatus[]): Html =>
    joinHtml(
      statuses.filter((s) => t[s] > 0).map((s) => `${count(t[s])} ${s === "missing" ? `missing ${m.control}` : s}`),
      ", ",
    );
  if (!m.complete)
    return html`<p class="lead"><strong class="unknown">${count(t.unknown)} of ${count(t.total)} scanned assets (${percent(t.unknown, t.total)}) have no verdict</strong> because not every run was complete; ${others(["protected", "unhealthy", "missing"])}.</p>`;
  return html`<p class="lead"><strong>${count(t.missing)} of ${count(t.total)} scanned assets (${percent(t.missing, t.total)})</strong> have no ${m.control} of any vendor; ${others(["protected", "unhealthy", "unknown"])}.</p>`;
};

const banners = (m: CombinedReportModel): Html[] => {
  const out: Html[] = [];
  if (!m.complete) {
    const incomplete = m.runs.filter((run) => !run.model.run.complete);
    out.push(html`<div class="banner bad" role="alert"><strong>Not every run was complete: ${count(m.totals.unknown)} asset(s) are unknown, not missing.</strong>
An asset no complete run protects may have a sensor the incomplete run did not read. Fix the cause and run the task again before acting on the missing list.
<ul>${incomplete.map(
      (run) =>
        html`<li>${run.label}: ${joinHtml(
          run.model.run.errors.map((e) => html`<span class="mono">${e.code}</span> ${e.message}`),
          "; ",
        )}</li>`,
    )}</ul></div>`);
  }
  if (m.notes.length > 0)
    out.push(html`<div class="banner"><strong>The input files disagree</strong><ul>${m.notes.map((n) => html`<li>${n}</li>`)}</ul></div>`);
  return out;
};

const vendorTable = (m: CombinedReportModel): Html =>
  html`<div class="scroll"><table class="groups">
<thead><tr><th>Vendor</th><th class="num">Protected</th><th class="num">Protected by it alone</th><th class="num">Unhealthy</th></tr></thead>
<tbody>${m.vendors.map((v) => html`<tr><td>${v.vendor}</td><td class="num">${count(v.protected)}</td><td class="num">${count(v.protectedOnlyHere)}</td><td class="num">${count(v.unhealthy)}</td></tr>`)}</tbody>
</table></div>`;

const runList = (m: CombinedReportModel): Html =>
  html`<ul>${m.runs.map((run, i) => html`<li><a href="#run-${i + 1}">Run ${i + 1}: ${run.label}</a> · ${run.model.run.complete ? "complete" : html`<strong>incomplete</strong>`} · ${count(run.model.run.counts.fetched)} devices read</li>`)}</ul>`;

const assetTable = (m: CombinedReportModel, verdicts: Verdicts): Html =>
  m.rows.length === 0
    ? html`<p>No asset.</p>`
    : html`<table class="list combined">
<colgroup><col class="n"><col class="id"><col class="names"><col class="addr"><col><col></colgroup>
<thead><tr><th class="num">#</th><th>Asset</th><th>Names</th><th>Addresses</th><th>Verdict</th><th>Vendor(s)</th></tr></thead>
${chunked(
  m.rows,
  (r: CombinedRow, i) => html`
<tr class="s-${r.status}"><td>${i + 1}</td><td>${cellText(r.id)}</td><td>${values(r.names)}</td><td>${values(r.addresses)}</td><td>${verdicts[r.status].label}</td><td class="vendors">${r.vendors.length === 0 ? NONE : joinHtml(r.vendors.map(cellText), ", ")}</td></tr>`,
)}
</table>`;

/** The whole page of a scan task's combined report. */
export const renderCombinedReport = (m: CombinedReportModel): string => {
  const t = m.totals;
  const verdicts = combinedVerdicts(m.control);
  const title = `${m.control} coverage across ${m.runs.length} run(s): ${count(t.missing)} of ${count(t.total)} assets missing ${m.control}`;
  return page(
    title,
    html`<header>
<h1>${m.control} coverage across ${m.runs.length === 1 ? "1 run" : `${m.runs.length} runs`}</h1>
<div class="sub">${joinHtml(
      m.vendors.map((v) => v.vendor),
      ", ",
    )} · ${count(t.total)} scanned assets · every run complete: ${m.complete ? "yes" : "no"} · report made ${dateTime(m.generatedAt)}</div>
<nav><a href="#combined">Combined</a><a href="#assets">Assets (${count(t.total)})</a>${m.runs.map((run, i) => html`<a href="#run-${i + 1}">Run ${i + 1}</a>`)}</nav>
</header>
${banners(m)}
${lead(m)}
<section id="combined">
<h2>Combined ${m.control} coverage</h2>
<div class="cards">${STATUSES.map((s) => card(verdicts, s, t))}</div>
<div class="overall">${stackedBar(verdicts, t, `All scanned assets: ${describe(verdicts, t)}`)}${legend(verdicts)}</div>
<div class="grid2">
<div><h3>By vendor</h3>${vendorTable(m)}</div>
<div><h3>Runs</h3><p>Every run complete: <strong>${m.complete ? "yes" : "no"}</strong>.</p>${runList(m)}</div>
</div>
</section>
<section id="assets">
<h2>Every asset, with the vendor(s) that decided it <span class="muted">(${count(t.total)})</span></h2>
<p class="caption">Missing first, then unhealthy, unknown and protected. Protected if any run calls it protected, else unhealthy if any run says so, else missing only when every run read its whole list, else unknown.</p>
${assetTable(m, verdicts)}
</section>
${m.runs.map(
  (run, i) => html`<section class="run-section" id="run-${i + 1}">
<h2>Run ${i + 1}: ${run.label}</h2>
${runBody(run.model, (name) => `run-${i + 1}-${name}`)}
</section>
`,
)}
<footer>
Made by <span class="mono">scan-probe report</span> from ${joinHtml([m.sources.records, m.sources.summary, m.sources.assets ?? "no assets file"], ", ")}. Combined verdicts:
${verdictLegend(verdicts)}
</footer>`,
  );
};
