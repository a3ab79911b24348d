import assert from 'node:assert/strict';
import { answerAction, hostOf, splitTarget } from '../../../src/sandbox/runtime/alb-answers';
import type { Action } from '../../../src/sandbox/elbv2/model';

describe('ALB answers', () => {
  it('hostOf: the host without its port; null for what is no host (ALB answers 400)', () => {
    assert.equal(hostOf(undefined), undefined);
    assert.equal(hostOf('app-demo-lb-1.ap-northeast-1.elb.localhost:8080'), 'app-demo-lb-1.ap-northeast-1.elb.localhost');
    assert.equal(hostOf('127.0.0.1'), '127.0.0.1');
    assert.equal(hostOf('[::1]:80'), '[::1]');
    for (const bad of ['a b', '[', '[::1', 'x/y', 'x\u0001y', 'lb:99999', 'lb:8o', 'lb:', ':80', 'a\tb']) assert.equal(hostOf(bad), null, JSON.stringify(bad));
  });

  it('splitTarget never throws, whatever the target', () => {
    assert.deepEqual(splitTarget('//'), { path: '//', query: '' });
    assert.deepEqual(splitTarget('//evil/x?a=b?c'), { path: '//evil/x', query: 'a=b?c' });
    assert.deepEqual(splitTarget('*'), { path: '*', query: '' });
  });

  it('a redirect keeps the path a path and encodes what may not stand in a header', () => {
    const redirect: Action = { Type: 'redirect', RedirectConfig: { Path: '/app/#{path}', StatusCode: 'HTTP_301' } } as Action;
    const a = answerAction(redirect, { url: '//evil/x?q=1', host: 'lb', port: 4711 })!;
    assert.equal(a.status, 301);
    assert.deepEqual(a.headers.find(([k]) => k === 'Location'), ['Location', 'http://lb:4711/app//evil/x?q=1']);
    const b = answerAction(redirect, { url: '/a b/\u00e9\u0000', host: 'lb', port: 1 })!;
    assert.equal(b.headers.find(([k]) => k === 'Location')![1], 'http://lb:1/app/a%20b/%C3%A9%00');
    const all: Action = { Type: 'redirect', RedirectConfig: { Host: '#{host}.example', Port: '#{port}', Path: '/#{path}/#{path}', Query: 'x=#{query}', StatusCode: 'HTTP_302' } } as Action;
    assert.equal(answerAction(all, { url: '/p?q', host: 'h', port: 2 })!.headers[1][1], 'http://h.example:2/p/p?x=q', 'every occurrence is replaced');
  });

  it('fixed responses; anything else is not an answer', () => {
    const f = answerAction({ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'nope' } } as Action, { url: '/', host: '', port: 1 })!;
    assert.deepEqual([f.status, f.body, f.headers.find(([k]) => k === 'Content-Length')![1]], [404, 'nope', '4']);
    assert.equal(answerAction({ Type: 'forward', TargetGroupArn: 'x' } as Action, { url: '/', host: '', port: 1 }), undefined);
  });
});
