/** The dashboard's stylesheet, inlined into the page (no build step, no external requests). */
export const PAGE_CSS = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1b1f24; --muted: #59636e; --line: #d1d9e0; --panel: #f6f8fa;
  --accent: #0969da; --bad: #cf222e; --warn: #9a6700; --good: #1a7f37; --focus: #0969da;
  /* Okabe-Ito: told apart with the common colour-vision deficiencies; the last slot is "(other)". */
  --s0: #0072b2; --s1: #d55e00; --s2: #009e73; --s3: #cc79a7; --s4: #e69f00; --s5: #56b4e9; --s6: #000000; --s7: #8c8c8c;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --panel: #151b23;
    --accent: #4493f8; --bad: #f85149; --warn: #d29922; --good: #3fb950; --focus: #4493f8;
    --s0: #56b4e9; --s1: #e69f00; --s2: #009e73; --s3: #cc79a7; --s4: #f0e442; --s5: #d55e00; --s6: #ffffff; --s7: #8c8c8c;
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
.grid2 { display: grid; gap: 1.2rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 28rem), 1fr)); }
/* A grid item's min-width is its content's by default: a wide table would spill over its neighbour. */
.scroll { min-width: 0; overflow-x: auto; }
/* Side-by-side tables wrap their cells rather than grow past their column. */
.grid2 th, .grid2 td { white-space: normal; overflow-wrap: anywhere; }
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
.charts { display: grid; gap: 0.8rem 1.2rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 34rem), 1fr)); }
.charts figure { margin: 0; position: relative; min-width: 0; }
.charts figcaption { color: var(--muted); font-size: 0.85rem; margin-bottom: 0.2rem; }
.charts .plot { width: 100%; }
.uplot { font-family: inherit; }
.u-over { cursor: crosshair; }
.tip { position: absolute; z-index: 2; pointer-events: none; background: var(--bg); color: var(--fg); border: 1px solid var(--line); border-radius: 4px; padding: 0.3rem 0.5rem; font-size: 0.8rem; box-shadow: 0 2px 6px rgba(0, 0, 0, 0.15); white-space: nowrap; }
.tip[hidden] { display: none; }
.tip b { display: block; font-weight: 600; margin-bottom: 0.15rem; }
.tip span { display: block; }
.legend { display: flex; flex-wrap: wrap; gap: 0.2rem 0.9rem; margin: 0 0 0.4rem; padding: 0; list-style: none; font-size: 0.85rem; }
.swatch { display: inline-block; width: 0.9rem; height: 0.25rem; margin-right: 0.35rem; vertical-align: middle; border-radius: 1px; }
.sw0 { background: var(--s0); } .sw1 { background: var(--s1); } .sw2 { background: var(--s2); } .sw3 { background: var(--s3); }
.sw4 { background: var(--s4); } .sw5 { background: var(--s5); } .sw6 { background: var(--s6); } .sw7 { background: var(--s7); }
tr.rejected th, tr.rejected td { color: var(--muted); font-style: italic; font-weight: normal; }
button.pick { font: inherit; font-weight: 600; color: var(--accent); background: none; border: 0; padding: 0; cursor: pointer; text-align: left; text-decoration: underline dotted; }
button.pick:focus-visible, #drill-close:focus-visible { outline: 2px solid var(--focus); outline-offset: 1px; }
tr.picked th, tr.picked td { background: color-mix(in srgb, var(--accent) 12%, transparent); }
#drill { border: 1px solid var(--line); border-radius: 6px; padding: 0.4rem 0.8rem 0.8rem; margin: 0.8rem 0; background: var(--bg); }
#drill h3 { display: inline-block; color: var(--fg); margin-right: 1rem; }
#drill-close { font: inherit; font-size: 0.85rem; color: inherit; background: var(--panel); border: 1px solid var(--line); border-radius: 4px; cursor: pointer; }
#drill table { margin-top: 0.6rem; }
td.answer { white-space: pre-wrap; min-width: 18rem; max-width: 40rem; font: 0.8rem ui-monospace, SFMono-Regular, Menlo, monospace; }
code { font: 0.85rem ui-monospace, SFMono-Regular, Menlo, monospace; }
`;
