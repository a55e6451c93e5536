/**
 * data/index.html: the viewer, one page with its script inline. Opened from the unpacked bundle
 * (file://) it loads its data with <script src> (viewer/catalogue.js, then shards and texts as
 * needed), which browsers allow for local files where fetch() is not. Its Content-Security-Policy
 * lets it load nothing but scripts, media and images from local files, and connect nowhere.
 */

export const VIEWER_CSP = [
  "default-src 'none'",
  "script-src 'unsafe-inline' 'self' file:",
  "style-src 'unsafe-inline'",
  "img-src 'self' file: data:",
  "media-src 'self' file:",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const escapeHtml = (text: string): string => text.replace(/[&<>"]/gu, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

/** Keeps the script from ending its <script> element early. */
const inlineScript = (code: string): string => code.replace(/<\/(script)/giu, '<\\/$1').replace(/<!--/gu, '<\\!--');

export function viewerHtml(options: { title: string; script: string; language?: string }): string {
  return `<!doctype html>
<html lang="${escapeHtml(options.language ?? 'en')}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${VIEWER_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<noscript><p class="noscript">This viewer needs JavaScript. Without it, every item is in the folder <code>items/</code>: its <code>metadata.json</code>, its text (<code>text.txt</code>) and its original files; <code>catalogue.json</code> lists them all.</p></noscript>
<div id="app" aria-busy="true"><p class="loading">Loading…</p></div>
<script>${inlineScript(options.script)}</script>
</body>
</html>
`;
}

const STYLE = `
:root { color-scheme: light dark; --fg: #1d1d1f; --bg: #fff; --muted: #6b6b70; --line: #d9d9de; --accent: #0b57d0; --mark: #ffe58a; --panel: #f6f6f8; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8e8ea; --bg: #18181b; --muted: #a0a0a8; --line: #3a3a40; --accent: #8ab4f8; --mark: #6b5a00; --panel: #222226; } }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--fg); background: var(--bg); }
.noscript, .loading { padding: 2rem; }
header { padding: .75rem 1rem; border-bottom: 1px solid var(--line); display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: baseline; }
header h1 { font-size: 1.1rem; margin: 0; }
header .about { color: var(--muted); font-size: .85rem; }
.controls { padding: .5rem 1rem; display: flex; flex-wrap: wrap; gap: .5rem; border-bottom: 1px solid var(--line); background: var(--panel); }
.controls select { max-width: 16rem; }
.controls input, .controls select { font: inherit; padding: .3rem .4rem; border: 1px solid var(--line); border-radius: 4px; background: var(--bg); color: var(--fg); }
.controls input[type=search] { flex: 1 1 18rem; min-width: 12rem; }
.controls input.date { width: 8.5rem; }
main { display: grid; grid-template-columns: minmax(18rem, 26rem) 1fr; min-height: calc(100vh - 7rem); }
#results { border-right: 1px solid var(--line); overflow: auto; max-height: calc(100vh - 7rem); }
#status { padding: .5rem 1rem; color: var(--muted); font-size: .85rem; }
#results ol { list-style: none; margin: 0; padding: 0; }
#results li { padding: .5rem 1rem; border-bottom: 1px solid var(--line); cursor: pointer; }
#results li:hover, #results li[aria-selected=true] { background: var(--panel); }
#results li .title { font-weight: 600; }
#results li .meta, .item .meta { color: var(--muted); font-size: .8rem; }
#results li .snippet { font-size: .85rem; margin-top: .2rem; }
#results button.more { margin: .75rem 1rem; font: inherit; }
mark { background: var(--mark); color: inherit; }
#item { padding: 1rem 1.5rem; overflow: auto; max-height: calc(100vh - 7rem); }
#item .empty { color: var(--muted); }
.item h2 { margin: .2rem 0 .5rem; font-size: 1.25rem; }
.item dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; font-size: .9rem; margin: .5rem 0 1rem; }
.item dt { color: var(--muted); }
.item dd { margin: 0; }
.texts { display: grid; gap: 1.5rem; grid-template-columns: 1fr; }
.texts.side-by-side { grid-template-columns: 1fr 1fr; }
.text-column h3 { font-size: .95rem; margin: 0 0 .4rem; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; font-size: .95rem; }
.notice { border-left: 3px solid var(--accent); padding: .3rem .7rem; background: var(--panel); font-size: .85rem; margin: .5rem 0; }
.cues { list-style: none; padding: 0; margin: .5rem 0; }
.cues li { padding: .25rem .4rem; border-radius: 4px; cursor: pointer; }
.cues li.current { background: var(--mark); }
.cues .time { color: var(--muted); font-variant-numeric: tabular-nums; margin-right: .5rem; }
audio { width: 100%; margin: .5rem 0; }
a { color: var(--accent); }
@media (max-width: 800px) { main { grid-template-columns: 1fr; } #results, #item { max-height: none; } .texts.side-by-side { grid-template-columns: 1fr; } }
`;
