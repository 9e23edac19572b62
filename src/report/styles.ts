/**
 * The report's stylesheet, inlined in the page (no external fonts, scripts or images).
 * Light and dark follow `prefers-color-scheme`; print is always light, with bar colours kept.
 */
export const STYLES = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --card: #f6f8fa; --track: #e6eaef;
  --protected: #1a7f37; --unhealthy: #bf8700; --missing: #cf222e; --unknown: #8c959f;
  --warn-bg: #fff8c5; --warn-line: #d4a72c; --bad-bg: #ffebe9; --bad-line: #ff8182; --link: #0969da;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #30363d; --card: #151b23; --track: #262c36;
    --protected: #3fb950; --unhealthy: #d29922; --missing: #f85149; --unknown: #8b949e;
    --warn-bg: #2e2410; --warn-line: #9e6a03; --bad-bg: #3c1618; --bad-line: #da3633; --link: #4493f8;
  }
}
* { box-sizing: border-box; }
html { background: var(--bg); }
body { margin: 0; color: var(--fg); background: var(--bg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "DejaVu Sans", Arial, sans-serif; }
main { max-width: 1320px; margin: 0 auto; padding: 24px 32px 48px; }
a { color: var(--link); }
h1 { font-size: 24px; margin: 0 0 2px; }
h2 { font-size: 18px; margin: 32px 0 4px; padding-top: 8px; }
h3 { font-size: 14px; margin: 16px 0 6px; }
.muted, .sub, .caption { color: var(--muted); }
.caption { margin: 0 0 10px; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12px; }
nav { margin: 12px 0 0; display: flex; flex-wrap: wrap; gap: 4px 16px; }
nav a { text-decoration: none; }
.banner { border: 1px solid var(--warn-line); background: var(--warn-bg); border-radius: 6px; padding: 10px 14px; margin: 16px 0 0; }
.banner.bad { border-color: var(--bad-line); background: var(--bad-bg); }
.banner strong { display: block; margin-bottom: 2px; }
.banner ul { margin: 4px 0 0; padding-left: 20px; }
.cards { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 12px; margin: 20px 0 12px; }
.card { border: 1px solid var(--line); border-top: 4px solid var(--c); border-radius: 8px; padding: 10px 14px 12px; background: var(--card); }
.card .label { font-weight: 600; }
.card .n { font-size: 30px; font-weight: 700; line-height: 1.2; font-variant-numeric: tabular-nums; }
.card .pct { color: var(--muted); margin-left: 6px; font-size: 15px; font-weight: 600; }
.card .what { color: var(--muted); font-size: 12px; margin: 2px 0 8px; }
.card .bar { height: 8px; }
.card.zero { opacity: 0.6; }
.lead { font-size: 16px; margin: 18px 0 0; }
.lead strong { color: var(--missing); }
.lead strong.unknown { color: inherit; }
.bar { display: flex; height: 10px; border-radius: 5px; overflow: hidden; background: var(--track); }
.bar > span { display: block; height: 100%; min-width: 0; }
.overall .bar { height: 20px; border-radius: 4px; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 6px 0 0; color: var(--muted); font-size: 13px; }
.legend i, .key { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; background: var(--c); vertical-align: baseline; }
.s-protected { --c: var(--protected); } .s-unhealthy { --c: var(--unhealthy); }
.s-missing { --c: var(--missing); } .s-unknown { --c: var(--unknown); }
.bar > span { background: var(--c); }
.grid2 { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 8px 32px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 11px; font-weight: 600; color: var(--muted); text-transform: uppercase; letter-spacing: 0.02em; white-space: nowrap; }
thead th { border-bottom-width: 2px; }
th.num { text-align: right; }
.groups th, .groups td { padding: 5px 6px; }
.scroll { overflow-x: auto; }
section { min-width: 0; }
td.barcell { width: 100%; min-width: 48px; vertical-align: middle; }
td.barcell .bar { height: 8px; }
.list td { font-size: 13px; }
.groups td:first-child { white-space: nowrap; }
.list { table-layout: fixed; }
.list td { overflow-wrap: anywhere; }
details.long summary { cursor: pointer; }
details.long[open] { max-height: 20em; overflow: auto; }
.list col.n { width: 44px; } .list col.id { width: 108px; } .list col.names { width: 20%; } .list col.addr { width: 15%; }
.list col.mac { width: 152px; } .list col.os { width: 19%; } .list col.seen { width: 100px; }
.list.unhealthy col.names { width: 24%; } .list.unhealthy col.addr { width: 19%; } .list.unhealthy col.os { width: 16%; }
.onboard { font-weight: 600; }
.list td:first-child { text-align: right; color: var(--muted); font-variant-numeric: tabular-nums; }
.list td:nth-child(2), .list.missing td:nth-child(4), .list.missing td:nth-child(5), .list.unhealthy td:nth-child(4) {
  font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12px; }
.list.unhealthy td:last-child { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.list tbody.chunk { content-visibility: auto; contain-intrinsic-size: auto 12000px; }
.list tbody.chunk.last { contain-intrinsic-size: auto 2000px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; font-variant-numeric: tabular-nums; }
footer { margin-top: 40px; padding-top: 12px; border-top: 1px solid var(--line); color: var(--muted); font-size: 12px; }
footer dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0 0; }
footer dt { font-weight: 600; }
footer dd { margin: 0; }
@media (max-width: 900px) {
  main { padding: 16px; }
  .cards { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  .grid2 { grid-template-columns: minmax(0, 1fr); }
}
@media print {
  :root {
    --bg: #ffffff; --fg: #000000; --muted: #444c56; --line: #c8d1da; --card: #ffffff; --track: #e6eaef;
    --protected: #1a7f37; --unhealthy: #bf8700; --missing: #cf222e; --unknown: #8c959f;
    --warn-bg: #ffffff; --warn-line: #9a6700; --bad-bg: #ffffff; --bad-line: #cf222e; --link: #000000;
  }
  body { font-size: 11px; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  .bar, .bar > span, .key, .legend i { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .cards { grid-template-columns: repeat(4, minmax(0, 1fr)); }
  .grid2 { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
  .list tbody.chunk { content-visibility: visible; }
  thead { display: table-header-group; }
  tr, .card, .banner { break-inside: avoid; }
  h2 { break-after: avoid; }
  a { text-decoration: none; }
}
`;
