/**
 * The ALB's own answers for listener actions that do not forward: fixed responses and redirects
 * (`#{protocol}`, `#{host}`, `#{port}`, `#{path}`, `#{query}` placeholders, as ELBv2 has them).
 */
import type http from 'node:http';
import type { Action, Listener } from '../elbv2/model';
import { sendElbError, type AlbCounters } from './alb-metrics';

/** Answers a fixed-response or redirect action (anything else: 503). */
export function answerAction(a: Action, req: http.IncomingMessage, res: http.ServerResponse, l: Listener, c: AlbCounters): void {
  req.resume();
  if (a.Type === 'fixed-response' && a.FixedResponseConfig) {
    const status = Number(a.FixedResponseConfig.StatusCode);
    if (status >= 500) c.elb5xx++;
    else if (status >= 400) c.elb4xx++;
    const body = a.FixedResponseConfig.MessageBody ?? '';
    res.writeHead(status, { Server: 'awselb/2.0', 'Content-Type': a.FixedResponseConfig.ContentType ?? 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  if (a.Type === 'redirect' && a.RedirectConfig) {
    const r = a.RedirectConfig;
    const host = (req.headers.host ?? 'localhost').replace(/:\d+$/, '');
    const url = new URL(req.url ?? '/', `http://${host}`);
    const sub = (v: string | undefined, dflt: string) =>
      (v ?? dflt)
        .replace('#{protocol}', 'http')
        .replace('#{host}', host)
        .replace('#{port}', String(req.socket.localPort ?? l.Port)) // the real port the client reached (the API port, 80, is not where the sandbox listens)
        .replace('#{path}', url.pathname.replace(/^\//, ''))
        .replace('#{query}', url.search.replace(/^\?/, ''));
    const protocol = sub(r.Protocol, '#{protocol}').toLowerCase();
    const query = sub(r.Query, '#{query}');
    const location = `${protocol}://${sub(r.Host, '#{host}')}:${sub(r.Port, '#{port}')}${sub(r.Path, '/#{path}')}${query ? `?${query}` : ''}`;
    res.writeHead(r.StatusCode === 'HTTP_301' ? 301 : 302, { Server: 'awselb/2.0', Location: location, 'Content-Length': 0 });
    res.end();
    return;
  }
  sendElbError(res, 503, c);
}
