/**
 * Renders the report's view model as one self-contained HTML page: inline CSS, no script,
 * no external resource (a Content-Security-Policy says so too). Every value from the run's
 * files goes through the escaping template in `html.ts`.
 */
import type { CoverageStatus } from "../contract.js";
import { html, joinHtml, trustedConstant, type Html, type Part } from "./html.js";
import { count, dateTime, percent, width } from "./format.js";
import { missingList, unhealthyList } from "./lists.js";
import { STATUSES, type GroupRow, type ReportLabels, type ReportModel, type Tally } from "./model.js";
import { STYLES } from "./styles.js";

/** Name and one-line meaning of each verdict (README, verdict table), in the words of the run's source and control. */
export type Verdicts = Readonly<Record<CoverageStatus, { readonly label: string; readonly meaning: string }>>;

const verdictsFor = ({ source, control }: ReportLabels): Verdicts => ({
  protected: { label: "Protected", meaning: `Onboarded to ${source}, sensor healthy` },
  unhealthy: { label: "Unhealthy", meaning: "Onboarded, but the sensor is not healthy" },
  missing: { label: `Missing ${control}`, meaning: `No onboarded ${source} sensor matches the asset` },
  unknown: { label: "Unknown", meaning: "Device list incomplete: no verdict given" },
});

/** A bar of the verdicts of `tally`, one coloured span each. */
export const stackedBar = (verdicts: Verdicts, tally: Tally, label: string): Html =>
  html`<div class="bar" role="img" aria-label="${label}">${STATUSES.filter((s) => tally[s] > 0).map(
    (s) =>
      html`<span class="s-${s}" style="width:${width(tally[s], tally.total)}" title="${verdicts[s].label}: ${count(tally[s])} (${percent(tally[s], tally.total)})"></span>`,
  )}</div>`;

/** The tally in words: `Protected 3, Unhealthy 0, …`. */
export const describe = (verdicts: Verdicts, tally: Tally): string => STATUSES.map((s) => `${verdicts[s].label} ${count(tally[s])}`).join(", ");

/** The headline card of one verdict. */
export const card = (verdicts: Verdicts, status: CoverageStatus, totals: Tally): Html =>
  html`<div class="card s-${status}${totals[status] === 0 ? " zero" : ""}">
  <div class="label">${verdicts[status].label}</div>
  <div><span class="n">${count(totals[status])}</span><span class="pct">${percent(totals[status], totals.total)}</span></div>
  <div class="what">${verdicts[status].meaning}</div>
  <div class="bar"><span class="s-${status}" style="width:${width(totals[status], totals.total)}"></span></div>
</div>`;

/** The colour key of the verdicts. */
export const legend = (verdicts: Verdicts): Html =>
  html`<div class="legend">${STATUSES.map((s) => html`<span><i class="s-${s}"></i>${verdicts[s].label}</span>`)}</div>`;

/** A "coverage by …" table; a count column for each verdict other than protected that occurs at all. */
const groupTable = (verdicts: Verdicts, title: string, rows: readonly GroupRow[], totals: Tally): Html => {
  const shown = (["missing", "unhealthy", "unknown"] as const).filter((s) => totals[s] > 0);
  return html`<div class="scroll"><table class="groups">
<thead><tr><th>${title}</th><th class="num">Assets</th><th class="num">Protected</th><th>Coverage</th>${shown.map((s) => html`<th class="num">${verdicts[s].label}</th>`)}</tr></thead>
<tbody>${rows.map(
    (r) => html`
<tr><td>${r.label}</td><td class="num">${count(r.tally.total)}</td><td class="num">${percent(r.tally.protected, r.tally.total)}</td><td class="barcell">${stackedBar(verdicts, r.tally, `${r.label}: ${describe(verdicts, r.tally)}`)}</td>${shown.map((s) => html`<td class="num">${count(r.tally[s])}</td>`)}</tr>`,
  )}</tbody>
</table></div>`;
};

/** The sentence under the title: the number a security team asks for first. */
const lead = (m: ReportModel): Html => {
  const t = m.totals;
  if (t.total === 0) return html`<p class="lead">The summary lists no scanned assets: there is no coverage to show.</p>`;
  const others = (statuses: readonly CoverageStatus[]): Html =>
    joinHtml(
      statuses.filter((s) => t[s] > 0).map((s) => `${count(t[s])} ${s === "missing" ? `missing ${m.labels.control}` : s}`),
      ", ",
    );
  if (!m.run.complete || m.run.incremental) {
    const why = m.run.complete ? "an incremental sync reads only devices seen since the last one" : "the run was incomplete";
    return html`<p class="lead"><strong class="unknown">${count(t.unknown)} of ${count(t.total)} scanned assets (${percent(t.unknown, t.total)}) have no verdict</strong> because ${why}; ${others(["protected", "unhealthy", "missing"])}.</p>`;
  }
  return html`<p class="lead"><strong>${count(t.missing)} of ${count(t.total)} scanned assets (${percent(t.missing, t.total)})</strong> have no onboarded ${m.labels.control} sensor; ${others(["protected", "unhealthy", "unknown"])}.</p>`;
};

const banners = (m: ReportModel): Html[] => {
  const { source, control } = m.labels;
  const out: Html[] = [];
  if (!m.run.complete) {
    out.push(html`<div class="banner bad" role="alert"><strong>Incomplete run: coverage of ${count(m.totals.unknown)} asset(s) is unknown, not missing.</strong>
Some ${source} pages were not read, so an asset without a healthy match may still have a sensor on an unread page. Those assets are counted as unknown and are not listed as missing. Fix the cause and run again before acting on this report.
${m.run.errors.length > 0 ? html`<ul>${m.run.errors.map((e) => html`<li><span class="mono">${e.code}</span>: ${e.message}</li>`)}</ul>` : ""}</div>`);
  }
  if (m.run.complete && m.run.incremental) {
    out.push(html`<div class="banner" role="alert"><strong>Incremental sync: coverage of ${count(m.totals.unknown)} asset(s) is unknown, not missing.</strong>
This run read only the devices ${source} saw since the previous sync, so an asset without a match here may have a healthy sensor that was simply quiet. Run a full sync for a list of assets missing ${control}.</div>`);
  }
  if (m.run.complete && m.run.unknownFromInvalidDevices > 0) {
    out.push(html`<div class="banner" role="alert"><strong>${count(m.run.unknownFromInvalidDevices)} asset(s) are unknown, not missing, because a ${source} device that could not be read could be theirs.</strong>
Such a device was skipped (see <span class="mono">counts.invalid</span> and the run's warnings); an asset it could be is not called missing. Fix the cause (often a field Microsoft changed) and run again.</div>`);
  }
  if (m.notes.length > 0)
    out.push(html`<div class="banner"><strong>The input files disagree</strong><ul>${m.notes.map((n) => html`<li>${n}</li>`)}</ul></div>`);
  return out;
};

const runFacts = (m: ReportModel): Html => {
  const r = m.run;
  const c = r.counts;
  const fact = (label: string, value: Part) => html`<dt>${label}</dt><dd>${value}</dd>`;
  return html`<div class="grid2">
<div><h3>Run</h3><dl class="facts">
${fact("Probe", m.labels.probe === r.probe ? r.probe : `${m.labels.probe} (${r.probe})`)}${fact("Mode", r.mode === "probe" ? "probe (inside a scan)" : "connector (scheduled sync)")}
${fact("Complete", r.complete ? "yes: every page was read" : html`<strong>no</strong>: some pages were not read`)}${r.incremental ? fact("Incremental", "yes: only devices seen since the previous sync") : ""}
${fact("Scanned assets", count(m.totals.total))}
${fact("API calls", `${count(r.http.requests)} (retries ${count(r.http.retries)}, throttled ${count(r.http.throttled)})`)}
${fact("Report made", dateTime(m.generatedAt))}
${fact("From", joinHtml([m.sources.records, m.sources.summary, m.sources.assets ?? "no assets file"], ", "))}
</dl></div>
<div><h3>${m.labels.source} devices</h3><dl class="facts">
${fact("Read", count(c.fetched))}${fact("Matched to a scanned asset", count(c.matched))}
${fact("New (matched no scanned asset)", count(c.created))}${c.unknownSkipped > 0 ? fact("Unmatched, left out (excludeUnknown)", count(c.unknownSkipped)) : ""}
${fact("Inactive, left out", count(c.inactiveSkipped))}${fact("Invalid, skipped", count(c.invalid))}${fact("Duplicates dropped", count(c.duplicates))}
${
  r.unmatched.length > 0
    ? fact(
        "Unmatched candidates",
        joinHtml(
          r.unmatched.map(([reason, n]) => `${reason} ${count(n)}`),
          ", ",
        ),
      )
    : ""
}
</dl></div>
</div>
${r.errors.length > 0 ? html`<h3>Errors</h3><ul>${r.errors.map((e) => html`<li><span class="mono">${e.code}</span>: ${e.message}</li>`)}</ul>` : ""}`;
};

/** An element id inside a run's part of a page: the name as is on a run's own page, prefixed on a task's page. */
export type IdOf = (name: string) => string;

/**
 * A run's part of a page, from its banners to its facts: what a run's own page shows under its
 * header, and what a task's page shows in each run's section. `id` makes its element ids.
 */
export const runBody = (m: ReportModel, id: IdOf): Html => {
  const t = m.totals;
  const { source, control } = m.labels;
  const verdicts = verdictsFor(m.labels);
  return html`${banners(m)}
${lead(m)}
<section id="${id("status")}">
<div class="cards">${STATUSES.map((s) => card(verdicts, s, t))}</div>
<div class="overall">${stackedBar(verdicts, t, `All scanned assets: ${describe(verdicts, t)}`)}${legend(verdicts)}</div>
</section>
<div class="grid2">
<section id="${id("os")}"><h2>By operating system</h2><p class="caption">${source}'s OS for matched assets, the scan's for the rest.</p>${groupTable(verdicts, "OS", m.byOs, t)}</section>
<section id="${id("site")}"><h2>By site</h2><p class="caption">${m.siteNote}</p>${groupTable(verdicts, "Site", m.bySite, t)}</section>
</div>
<section id="${id("missing")}">
<h2>Assets missing ${control} <span class="muted">(${count(t.missing)})</span></h2>
<p class="caption">On the network, but no onboarded ${source} sensor. Servers first, then Linux, Windows clients, macOS and other devices; within each, by address. "Discovered": ${source} has seen the device on the network, but it has no sensor; "can be onboarded" is the quick fix.</p>
${m.assetsSupplied || m.missing.length === 0 ? "" : html`<div class="banner"><strong>Names and addresses are incomplete.</strong> No scanned-assets file was given (<span class="mono">--assets</span>): an asset ${source} does not know shows by its id only. Run the report with <span class="mono">--assets FILE</span> (the assets the scan found) to see them.</div>`}
${missingList(m)}
</section>
<section id="${id("unhealthy")}">
<h2>Unhealthy sensors <span class="muted">(${count(t.unhealthy)})</span></h2>
<p class="caption">Onboarded to ${source}, but the sensor does not report as healthy: it protects less than it should.</p>
${unhealthyList(m)}
</section>
<section id="${id("run")}">
<h2>The run</h2>
${runFacts(m)}
</section>`;
};

/** A whole page: `title`, and `body` inside `<main>`, with the report's styles and no script. */
export const page = (title: string, body: Html): string =>
  html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${title}</title>
<style>${trustedConstant(STYLES)}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`.text;

/** The verdicts' meanings for a page's footer. */
export const verdictLegend = (verdicts: Verdicts): Html =>
  html`<dl>${STATUSES.map((s) => html`<dt><i class="key s-${s}"></i>${verdicts[s].label}</dt><dd>${verdicts[s].meaning}.</dd>`)}</dl>`;

/** The whole page for a report model. */
export const renderReport = (m: ReportModel): string => {
  const t = m.totals;
  const { control } = m.labels;
  const title = `${control} coverage: ${count(t.missing)} of ${count(t.total)} assets missing ${control}`;
  const same: IdOf = (name) => name;
  return page(
    title,
    html`<header>
<h1>${control} coverage</h1>
<div class="sub">${m.labels.probe} · ${m.run.mode} mode · ${count(t.total)} scanned assets · report made ${dateTime(m.generatedAt)}</div>
<nav><a href="#status">Status</a><a href="#os">By OS</a><a href="#site">By site</a><a href="#missing">Missing ${control} (${count(t.missing)})</a><a href="#unhealthy">Unhealthy (${count(t.unhealthy)})</a><a href="#run">Run</a></nav>
</header>
${runBody(m, same)}
<footer>
Made by <span class="mono">scan-probe report</span>. Verdicts:
${verdictLegend(verdictsFor(m.labels))}
</footer>`,
  );
};
