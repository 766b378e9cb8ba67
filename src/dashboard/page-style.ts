/** The dashboard's stylesheet, inlined into the page (no build step, no external requests). */
export const PAGE_CSS = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1b1f24; --muted: #59636e; --line: #d1d9e0; --panel: #f6f8fa;
  --accent: #0969da; --bad: #cf222e; --warn: #9a6700; --good: #1a7f37; --focus: #0969da;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --panel: #151b23;
    --accent: #4493f8; --bad: #f85149; --warn: #d29922; --good: #3fb950; --focus: #4493f8;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 1rem; padding: 0.8rem 1.2rem; border-bottom: 1px solid var(--line); }
header h1 { font-size: 1.15rem; margin: 0; }
#status { margin: 0; color: var(--muted); }
#status.error { color: var(--bad); font-weight: 600; }
main { padding: 0.6rem 1.2rem 2rem; display: grid; gap: 1.2rem; }
section { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 0.6rem 0.9rem 0.9rem; overflow-x: auto; }
h2 { font-size: 1rem; margin: 0.2rem 0 0.6rem; }
h3 { font-size: 0.9rem; margin: 0.8rem 0 0.4rem; color: var(--muted); }
.grid2 { display: grid; gap: 1.2rem; grid-template-columns: repeat(auto-fit, minmax(28rem, 1fr)); }
form.controls { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; align-items: center; margin-bottom: 0.6rem; }
form.controls label { color: var(--muted); margin-right: 0.3rem; }
select { font: inherit; color: inherit; background: var(--bg); border: 1px solid var(--line); border-radius: 4px; padding: 0.15rem 0.3rem; }
select:focus-visible { outline: 2px solid var(--focus); outline-offset: 1px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
caption { text-align: left; color: var(--muted); padding-bottom: 0.3rem; }
th, td { padding: 0.3rem 0.55rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; white-space: nowrap; }
thead th { font-weight: 600; color: var(--muted); border-bottom-width: 2px; }
td.num, th.num { text-align: right; }
td.wrap { white-space: normal; min-width: 14rem; }
tbody th { font-weight: 600; }
td.empty { color: var(--muted); font-style: italic; }
.unknown { color: var(--warn); }
.bad { color: var(--bad); font-weight: 600; }
.good { color: var(--good); }
.muted { color: var(--muted); }
.pill { display: inline-block; padding: 0 0.45rem; border-radius: 999px; border: 1px solid currentColor; font-size: 0.8rem; }
.charts { display: grid; gap: 0.8rem 1.2rem; grid-template-columns: repeat(auto-fit, minmax(19rem, 1fr)); }
.charts figure { margin: 0; }
.charts figcaption { color: var(--muted); font-size: 0.85rem; margin-bottom: 0.2rem; }
.charts svg { width: 100%; height: auto; display: block; }
.charts .axis { stroke: var(--line); stroke-width: 1; }
.charts text { fill: var(--muted); font-size: 10px; }
.charts polyline { fill: none; stroke-width: 2; stroke-linejoin: round; }
.legend { display: flex; flex-wrap: wrap; gap: 0.2rem 0.9rem; margin: 0 0 0.4rem; padding: 0; list-style: none; font-size: 0.85rem; }
.legend li::before { content: ""; display: inline-block; width: 0.8rem; height: 0.2rem; margin-right: 0.3rem; vertical-align: middle; background: currentColor; }
.s0 { stroke: #0969da; fill: #0969da; color: #0969da; } .s1 { stroke: #bf3989; fill: #bf3989; color: #bf3989; }
.s2 { stroke: #1a7f37; fill: #1a7f37; color: #1a7f37; } .s3 { stroke: #bc4c00; fill: #bc4c00; color: #bc4c00; }
.s4 { stroke: #8250df; fill: #8250df; color: #8250df; } .s5 { stroke: #0a7b83; fill: #0a7b83; color: #0a7b83; }
.s6 { stroke: #9a6700; fill: #9a6700; color: #9a6700; } .s7 { stroke: #6e7781; fill: #6e7781; color: #6e7781; }
code { font: 0.85rem ui-monospace, SFMono-Regular, Menlo, monospace; }
`;
