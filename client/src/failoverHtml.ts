// The failover page, apart from the panel so that it can be tested without VS Code.
import type { ClusterView } from '../../server/src/protocol';
import { escapeForTerminal } from '../../server/src/core/hiddenText';
import { plural } from '../../server/src/core/plural';

/**
 * HTML text: BIDI controls, invisible and control characters are shown as `\u202e`… first (a node or
 * script name that displays as another must not look the same here either), then HTML-escaped.
 */
const esc = (s: string) => escapeForTerminal(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The failover table as a page: who holds the VIP in each scenario, with the blocked cases flagged. */
export function renderFailoverHtml(c: ClusterView, cspSource: string): string {
  const tables = c.failover
    .map((f) => {
      const head = `<tr><th>scenario</th>${f.nodes.map((n) => `<th>${esc(n)}</th>`).join('')}<th>VIP on</th></tr>`;
      const rows = f.rows
        .map((r) => {
          const cells = r.states.map((s, i) => {
            const cls = s === 'DOWN' || s === 'FAULT' ? 'down' : f.nodes[i] === r.holder ? 'holder' : '';
            return `<td class="${cls}">${esc(s)}</td>`;
          });
          return `<tr class="${r.blocked ? 'blocked' : ''}"><td>${esc(r.label)}</td>${cells.join('')}<td class="who">${esc(r.holder ?? 'nobody')}${r.blocked ? ' ⚠ stays on the failed node' : ''}</td></tr>`;
        })
        .join('');
      return `<h2>${esc(f.instance)} · VRID ${f.vrid ?? '?'} · VIP ${esc(f.vips.join(', '))}</h2><table>${head}${rows}</table>`;
    })
    .join('');
  const nodes = c.nodes.map((n) => `<li><b>${esc(n.name)}</b>${n.address ? ' ' + esc(n.address) : ''}${n.holdsVip ? ' <span class="tag">VIP</span>' : ''}</li>`).join('');
  return `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'unsafe-inline';">
<style>
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1em; }
table { border-collapse: collapse; margin-bottom: 1.5em; }
th, td { border: 1px solid var(--vscode-panel-border); padding: 4px 10px; text-align: right; }
td:first-child, th:first-child { text-align: left; }
th { background: var(--vscode-editorWidget-background); }
td.holder { background: var(--vscode-diffEditor-insertedTextBackground); font-weight: bold; }
td.down { color: var(--vscode-errorForeground); }
tr.blocked td { background: var(--vscode-inputValidation-errorBackground); }
td.who { text-align: left; }
.tag { background: var(--vscode-badge-background); color: var(--vscode-badge-foreground); border-radius: 3px; padding: 0 4px; }
.reason { color: var(--vscode-descriptionForeground); }
</style></head><body>
<h1>${esc(c.name)}</h1>
<p class="reason">${esc(c.origin)}: ${esc(c.reason)}</p>
<ul>${nodes}</ul>
${tables || '<p>No VRRP instances shared by these nodes.</p>'}
<p class="reason">${plural(c.errors, 'error')}, ${plural(c.warnings, 'warning')} in this cluster's files.</p>
</body></html>`;
}
