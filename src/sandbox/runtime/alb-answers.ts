/**
 * The ALB's own answers for listener actions that do not forward: fixed responses and redirects
 * (`#{protocol}`, `#{host}`, `#{port}`, `#{path}`, `#{query}` placeholders, as ELBv2 has them), and
 * the check ALB makes of every request's Host header. Pure: no sockets, so whatever serves the
 * listener writes the answer.
 */
import type { Action } from '../elbv2/model';

export interface AlbAnswer {
  status: number;
  /** Header name / value pairs, in order. */
  headers: [string, string][];
  body: string;
}

/** What a redirect needs to know about the request. */
export interface RequestView {
  /** The request target as sent (origin form: path and query). */
  url: string;
  /** The Host header's host name, without the port (already checked with `hostOf`); '' when absent. */
  host: string;
  /** The real port the client reached (the API's listener port, 80, is not where the sandbox listens). */
  port: number;
}

// reg-name (RFC 3986: unreserved / pct-encoded / sub-delims) or an IP literal, then an optional port.
const HOST = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=%]+|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?$/;

/**
 * The host name of a Host header without its port: undefined when there is none, null when it is
 * not a host (a space, `[`, a path, a control character, a port that is no port) — ALB answers
 * such a request 400.
 */
export function hostOf(header: string | undefined): string | undefined | null {
  if (header === undefined || header === '') return undefined;
  const m = HOST.exec(header);
  if (!m || (m[1] !== undefined && Number(m[1]) > 65535)) return null;
  return m[1] === undefined ? header : header.slice(0, header.length - m[1].length - 1);
}

/** Splits a request target into its path and query (without the `?`), with no URL parsing that could throw. */
export function splitTarget(url: string): { path: string; query: string } {
  const q = url.indexOf('?');
  return q < 0 ? { path: url, query: '' } : { path: url.slice(0, q), query: url.slice(q + 1) };
}

const sub = (template: string, values: Record<string, string>): string => template.replace(/#\{(protocol|host|port|path|query)\}/g, (_m, k: string) => values[k]);

/** Percent-encodes what may not stand in a header value or a URL (controls, spaces, non-ASCII), byte by byte. */
const safe = (s: string): string =>
  /[^\x21-\x7e]/.test(s) ? s.replace(/[^\x21-\x7e]+/g, (run) => [...Buffer.from(run, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('')) : s;

/** Answers a fixed-response or redirect action (anything else: undefined — the caller answers 503). */
export function answerAction(a: Action, req: RequestView): AlbAnswer | undefined {
  if (a.Type === 'fixed-response' && a.FixedResponseConfig) {
    const body = a.FixedResponseConfig.MessageBody ?? '';
    return {
      status: Number(a.FixedResponseConfig.StatusCode),
      headers: [
        ['Server', 'awselb/2.0'],
        ['Content-Type', a.FixedResponseConfig.ContentType ?? 'text/plain; charset=utf-8'],
        ['Content-Length', String(Buffer.byteLength(body))],
      ],
      body,
    };
  }
  if (a.Type === 'redirect' && a.RedirectConfig) {
    const r = a.RedirectConfig;
    const { path, query } = splitTarget(safe(req.url));
    const values = { protocol: 'http', host: req.host, port: String(req.port), path: path.replace(/^\//, ''), query };
    const protocol = sub(r.Protocol ?? '#{protocol}', values).toLowerCase();
    const q = sub(r.Query ?? '#{query}', values);
    const location = `${protocol}://${sub(r.Host ?? '#{host}', values)}:${sub(r.Port ?? '#{port}', values)}${sub(r.Path ?? '/#{path}', values)}${q ? `?${q}` : ''}`;
    return {
      status: r.StatusCode === 'HTTP_301' ? 301 : 302,
      headers: [
        ['Server', 'awselb/2.0'],
        ['Location', location],
        ['Content-Length', '0'],
      ],
      body: '',
    };
  }
  return undefined;
}
