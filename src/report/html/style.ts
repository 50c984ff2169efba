// The dashboard's stylesheet, inlined. Colours keep text at WCAG AA contrast (≥ 4.5:1) on their backgrounds.
import { chipCss } from './svg.ts';

export const CSS = `
:root { --fg:#1a1a1a; --muted:#545454; --bg:#fff; --panel:#f5f7fa; --line:#d0d7de; --accent:#0b57d0; --bar:#2f6fde; --bad:#a50e0e; --ok:#146c2e; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.55 system-ui, -apple-system, "Segoe UI", "Noto Sans TC", "PingFang TC", "Microsoft JhengHei", sans-serif; color:var(--fg); background:var(--bg); }
a { color:var(--accent); }
.skip { position:absolute; left:-999px; top:0; background:#fff; padding:8px; z-index:10; }
.skip:focus { left:8px; }
header { display:flex; flex-wrap:wrap; gap:12px; align-items:center; justify-content:space-between; padding:14px 24px; background:#102a43; color:#fff; }
header h1 { margin:0; font-size:1.35rem; }
header p { margin:2px 0 0; color:#d9e2ec; font-size:.9rem; }
main { max-width:1200px; margin:0 auto; padding:8px 24px 48px; }
section { margin-top:28px; }
h2 { font-size:1.2rem; border-bottom:2px solid var(--line); padding-bottom:4px; }
h3 { font-size:1.05rem; margin:18px 0 6px; }
button, select, input { font:inherit; }
button { cursor:pointer; border:1px solid #8c959f; background:#fff; color:var(--fg); border-radius:6px; padding:5px 12px; }
button:hover { background:#eef2f7; }
button:disabled { color:#6e7781; cursor:default; background:#f6f8fa; }
button.link { border:0; background:none; padding:0; color:var(--accent); text-decoration:underline; text-align:left; }
#lang-switch { background:#fff; color:#102a43; font-weight:600; }
:focus-visible { outline:3px solid #f4b400; outline-offset:2px; }
.cards { display:grid; grid-template-columns:repeat(auto-fit, minmax(170px, 1fr)); gap:12px; margin-top:18px; }
.card { background:var(--panel); border:1px solid var(--line); border-radius:8px; padding:12px 14px; }
.card .n { font-size:1.6rem; font-weight:700; display:block; }
.card .l { color:var(--muted); font-size:.9rem; }
.card .sub { display:block; color:var(--muted); font-size:.8rem; margin-top:4px; }
.grid2 { display:grid; grid-template-columns:repeat(auto-fit, minmax(380px, 1fr)); gap:20px; }
table { border-collapse:collapse; width:100%; }
caption { text-align:left; font-weight:600; padding:6px 0; }
th, td { border-bottom:1px solid var(--line); padding:6px 8px; text-align:left; vertical-align:top; }
thead th { background:var(--panel); font-size:.9rem; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; }
.scorebar { display:flex; align-items:center; gap:8px; min-width:180px; }
.scorebar .track { flex:1; height:12px; background:#e4e9f0; border-radius:6px; overflow:hidden; }
.scorebar .fill { height:100%; background:var(--bar); }
.scorebar .v { width:4.2em; text-align:right; font-variant-numeric:tabular-nums; font-weight:600; }
.stack { display:flex; height:10px; width:120px; border-radius:3px; overflow:hidden; background:#eee; }
.prize { font-weight:700; color:#7a5200; }
.chip { display:inline-block; padding:0 8px; border-radius:10px; font-size:.85rem; border:1px solid rgba(0,0,0,.15); white-space:nowrap; }
${chipCss()}
.chart { max-width:640px; height:auto; }
.chart .lbl, .chart .num, .chart .axis, .chart .legend { font-size:13px; fill:#1a1a1a; }
.chart .axis { fill:#545454; font-size:11px; }
.chart .grid { stroke:#e1e4e8; }
form.filters { display:flex; flex-wrap:wrap; gap:10px 16px; align-items:flex-end; background:var(--panel); padding:12px; border-radius:8px; border:1px solid var(--line); }
form.filters label { display:flex; flex-direction:column; font-size:.85rem; color:var(--muted); gap:2px; }
form.filters input, form.filters select { min-width:160px; padding:5px 6px; border:1px solid #8c959f; border-radius:5px; color:var(--fg); background:#fff; }
#ds-status { margin:10px 0; font-weight:600; }
.pager { display:flex; gap:10px; align-items:center; margin-top:10px; }
details { margin:6px 0; }
summary { cursor:pointer; font-weight:600; }
dialog { width:min(960px, 94vw); max-height:90vh; border:1px solid var(--line); border-radius:10px; padding:0; }
dialog::backdrop { background:rgba(16,42,67,.45); }
.dlg-head { display:flex; justify-content:space-between; gap:12px; align-items:flex-start; padding:14px 18px; background:var(--panel); border-bottom:1px solid var(--line); position:sticky; top:0; }
.dlg-head h2 { margin:0; border:0; font-size:1.15rem; }
#dlg-body { padding:8px 18px 18px; }
dl.meta { display:grid; grid-template-columns:max-content 1fr; gap:4px 14px; }
dl.meta dt { color:var(--muted); } dl.meta dd { margin:0; }
table.ind td:nth-child(2) { white-space:nowrap; font-weight:600; }
tr.v-fail td:nth-child(2) { color:var(--bad); } tr.v-pass td:nth-child(2) { color:var(--ok); } tr.v-unsure td:nth-child(2) { color:#8a4b00; }
.evidence { white-space:pre-wrap; word-break:break-word; }
.hint { margin:4px 0 0; color:#0d3a75; }
ul.res code { word-break:break-all; }
.muted { color:var(--muted); }
.visually-hidden { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); white-space:nowrap; }
.nojs-note { background:#fff4ce; padding:8px; border-radius:6px; }
html.js .nojs-note { display:none; }
@media print { header button, form.filters, .pager { display:none; } }
`;
