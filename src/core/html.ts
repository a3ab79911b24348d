/** HTML escaping for text the extension puts into webview pages (pure). */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text for HTML content and attribute values. */
export function escapeHtml(text: string | number | undefined): string {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

export interface PageDocument {
  /** The webview's `cspSource` (where its local resources are served from). */
  cspSource: string;
  /** A fresh random nonce (base64): the only scripts that run carry it. */
  nonce: string;
  lang: string;
  title: string;
  /** Stylesheet URLs (webview URIs of dist/webview files). */
  styles: string[];
  /** Module script URLs (webview URIs of dist/webview files). */
  scripts: string[];
  /** What shows until the script has rendered (HTML, already escaped). */
  placeholder?: string;
  /** ARIA role of the root element `#app`. */
  role?: string;
}

/**
 * A webview page: a strict CSP (nothing but the webview's own resources, scripts only with the
 * nonce, no inline styles without it, no remote anything), the stylesheets, a root `#app`, the scripts.
 */
export function pageDocument(p: PageDocument): string {
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${p.nonce}'`,
    `style-src ${p.cspSource} 'nonce-${p.nonce}'`,
    `img-src ${p.cspSource} data:`,
    `font-src ${p.cspSource}`,
  ].join('; ');
  const styles = p.styles.map((s) => `<link rel="stylesheet" href="${escapeHtml(s)}"${/\/codicon\.css$/.test(s) ? ' id="vscode-codicon-stylesheet"' : ''}>`);
  const scripts = p.scripts.map((s) => `<script nonce="${escapeHtml(p.nonce)}" type="module" src="${escapeHtml(s)}"></script>`);
  return `<!DOCTYPE html>
<html lang="${escapeHtml(p.lang)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles.join('\n')}
<title>${escapeHtml(p.title)}</title>
</head>
<body>
<div id="app"${p.role ? ` role="${escapeHtml(p.role)}"` : ''} aria-busy="true">${p.placeholder ?? ''}</div>
${scripts.join('\n')}
</body>
</html>`;
}
