/**
 * The report's stylesheet, inlined (the file must work offline). Light and dark palettes follow
 * prefers-color-scheme unless the toggle pins one with data-theme on <html>. Colours keep
 * WCAG AA contrast on both backgrounds; severity is always written as text, never colour alone.
 */
export const HTML_STYLE = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1d21;--muted:#4f5761;--card:#f5f7fa;--line:#d5dae1;--accent:#0a58b8;
--crit:#a8001c;--warn:#7a4a00;--info:#0a58b8;--ok:#1d6b2c;--bar:#3b78c4;--bar2:#9db8dc;--code:#eef1f5}
@media (prefers-color-scheme:dark){:root:not([data-theme=light]){--bg:#15171b;--fg:#e7e9ec;--muted:#aab2bc;--card:#1f232a;
--line:#3a414b;--accent:#8ab8ff;--crit:#ff8f8f;--warn:#f5c46a;--info:#8ab8ff;--ok:#7fd68f;--bar:#6fa3e6;--bar2:#3d5a80;--code:#262b33}}
:root[data-theme=dark]{--bg:#15171b;--fg:#e7e9ec;--muted:#aab2bc;--card:#1f232a;--line:#3a414b;--accent:#8ab8ff;
--crit:#ff8f8f;--warn:#f5c46a;--info:#8ab8ff;--ok:#7fd68f;--bar:#6fa3e6;--bar2:#3d5a80;--code:#262b33}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
header,main,footer{max-width:1180px;margin:0 auto;padding:0 20px}
header{padding-top:18px;display:flex;gap:16px;align-items:flex-start;justify-content:space-between}
header>div{flex:1 1 auto;min-width:0}#theme-toggle{flex:none}
h1{font-size:1.5rem;margin:0 0 4px}h2{font-size:1.2rem;margin:28px 0 10px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:1.02rem;margin:0 0 6px}
a{color:var(--accent)}
.meta{color:var(--muted);margin:0;font-size:.9rem}
.counts{margin:8px 0 0;display:flex;gap:8px;flex-wrap:wrap}
.sev{display:inline-block;font-weight:600;font-size:.78rem;text-transform:uppercase;letter-spacing:.03em;border:1px solid currentColor;border-radius:4px;padding:0 5px}
.sev-critical{color:var(--crit)}.sev-warning{color:var(--warn)}.sev-info{color:var(--info)}
.pass{color:var(--ok)}.fail{color:var(--crit)}.unknown{color:var(--muted)}
#theme-toggle{background:var(--card);color:var(--fg);border:1px solid var(--line);border-radius:6px;padding:6px 10px;font:inherit;cursor:pointer}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:10px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 12px}
.card .value{font-size:1.35rem;font-weight:650}
.card .why{color:var(--muted);font-size:.82rem}
ol.problems{padding-left:0;list-style:none;margin:0}
ol.problems>li{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px;margin-bottom:10px}
.gain{color:var(--muted)}
pre,code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:.85rem}
pre{background:var(--code);border:1px solid var(--line);border-radius:6px;padding:8px 10px;overflow:auto;white-space:pre-wrap;word-break:break-word;margin:6px 0}
table{border-collapse:collapse;width:100%;font-size:.88rem}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.table-wrap{overflow-x:auto}
th button{all:unset;cursor:pointer;font-weight:650}
th button:focus-visible,summary:focus-visible,#theme-toggle:focus-visible,a:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
th[aria-sort=ascending] button::after{content:" \\25B2"}th[aria-sort=descending] button::after{content:" \\25BC"}
details.finding{border:1px solid var(--line);border-radius:8px;margin:8px 0;background:var(--card)}
details.finding>summary{cursor:pointer;padding:8px 12px}
details.finding>div{padding:0 12px 10px}
.kv th{color:var(--muted);white-space:nowrap;width:1%;font-weight:500}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:14px}
figure{margin:0;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px}
figcaption{font-weight:650;margin-bottom:6px}
svg text{fill:var(--fg);font-size:12px}svg .muted{fill:var(--muted)}
svg .bar{fill:var(--bar)}svg .track{fill:var(--bar2);opacity:.35}svg .target{stroke:var(--crit);stroke-width:2}
ul.plan,ul.plan ul{list-style:none;margin:0;padding-left:18px;border-left:1px dashed var(--line)}
ul.plan{padding-left:0;border-left:none}
.node{display:flex;gap:10px;align-items:baseline;flex-wrap:wrap;padding:2px 0}
.node .type{font-weight:650}.node .hot{color:var(--crit);font-weight:700}
.node .stat{color:var(--muted);font-size:.85rem;font-variant-numeric:tabular-nums}
.node .mis{color:var(--warn);font-size:.85rem}
.share{display:inline-block;vertical-align:middle}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
footer{color:var(--muted);font-size:.85rem;padding-bottom:30px;margin-top:30px}
@media print{#theme-toggle{display:none}details.finding{break-inside:avoid}}
`;
