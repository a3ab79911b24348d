/**
 * Opening a local address (a sandbox task, a sandbox load balancer) from VS Code running in a
 * browser (code-server, vscode.dev tunnels): the user's browser cannot reach the editor machine's
 * 127.0.0.1, so VS Code maps it (`asExternalUri`) — code-server to `<base>/proxy/PORT/` — but
 * code-server's mapping drops the path and query (`http://127.0.0.1:PORT/app/` → `…/proxy/PORT/`).
 * The rule here: resolve only the origin, and put the original path, query and fragment back on
 * what it resolved to. Pure (the UI does the resolving): src/ui/commands/operate/urls.ts.
 */

/** `http://host:port/` of a URL (what to resolve), or undefined when it is not http(s). */
export function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    return `${u.protocol}//${u.host}/`;
  } catch {
    return undefined;
  }
}

/** Hosts VS Code maps to the user's side (its own list: localhost, 127.0.0.1, 0.0.0.0). */
export function isMappedLocalhost(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && /^(localhost|127\.0\.0\.1|0\.0\.0\.0)$/i.test(u.hostname) && u.port !== '';
  } catch {
    return false;
  }
}

/**
 * `original`'s path, query and fragment on top of `resolvedOrigin` (what the origin of `original`
 * was resolved to). A resolver that already kept the path (desktop VS Code returns the URI as it
 * is) is left alone.
 */
export function keepPath(original: string, resolvedOrigin: string): string {
  const o = new URL(original);
  const r = new URL(resolvedOrigin);
  const rest = `${o.pathname}${o.search}${o.hash}`;
  if (rest === '/' || (r.pathname.endsWith(o.pathname) && r.search === o.search && o.pathname !== '/')) return r.toString();
  const base = r.pathname.replace(/\/+$/, '');
  return `${r.protocol}//${r.host}${base}${o.pathname}${o.search || r.search}${o.hash}`;
}

/**
 * A sandbox name under `.localhost` (`http://app-demo-lb-1.ap-northeast-1.elb.localhost:41234/`)
 * as the loopback address it stands for (`http://127.0.0.1:41234/`, same port, path kept): VS Code
 * maps only localhost / 127.0.0.1 to the user's browser, and trusts only those without asking.
 * Any other URL is returned unchanged.
 */
export function loopbackForm(url: string): string {
  try {
    const u = new URL(url);
    if (!/\.localhost$/i.test(u.hostname) || !u.port) return url;
    u.hostname = '127.0.0.1';
    return u.toString();
  } catch {
    return url;
  }
}
