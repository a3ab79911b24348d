/**
 * Opening a local address from VS Code in a browser (code-server): what code-server's
 * asExternalUri returns for http://127.0.0.1:PORT/… (its proxy, the path dropped) and how the
 * extension puts the path back.
 */
import assert from 'node:assert/strict';
import { isMappedLocalhost, keepPath, loopbackForm, originOf } from '../../../src/core/external-url';

describe('core/external-url', () => {
  it('the origin is what gets resolved', () => {
    assert.equal(originOf('http://127.0.0.1:41234/app/?x=1#top'), 'http://127.0.0.1:41234/');
    assert.equal(originOf('https://example.com/a'), 'https://example.com/');
    assert.equal(originOf('vscode://x/y'), undefined);
    assert.equal(originOf('not a url'), undefined);
  });

  it('code-server: <base>/proxy/PORT/ + the original path, query and fragment', () => {
    // code-server 4.99 resolves http://127.0.0.1:41234/ (and …/app/ alike) to its proxy path, without the path.
    assert.equal(keepPath('http://127.0.0.1:41234/app/', 'http://127.0.0.1:8080/proxy/41234/'), 'http://127.0.0.1:8080/proxy/41234/app/');
    assert.equal(keepPath('http://127.0.0.1:41234/app/loginForm?u=1#f', 'https://code.example.com/ide/proxy/41234/'), 'https://code.example.com/ide/proxy/41234/app/loginForm?u=1#f');
    assert.equal(keepPath('http://127.0.0.1:41234/', 'http://127.0.0.1:8080/proxy/41234/'), 'http://127.0.0.1:8080/proxy/41234/');
  });

  it('desktop VS Code (or a forwarded port): the URI as resolved', () => {
    assert.equal(keepPath('http://127.0.0.1:41234/app/', 'http://127.0.0.1:41234/'), 'http://127.0.0.1:41234/app/');
    assert.equal(keepPath('http://127.0.0.1:41234/app/', 'http://localhost:50123/'), 'http://localhost:50123/app/');
    // A resolver that kept the path is not given it twice.
    assert.equal(keepPath('http://127.0.0.1:41234/app/', 'http://127.0.0.1:8080/proxy/41234/app/'), 'http://127.0.0.1:8080/proxy/41234/app/');
  });

  it('only what VS Code maps counts as a local address (a *.localhost name is not)', () => {
    assert.ok(isMappedLocalhost('http://127.0.0.1:41234/app/'));
    assert.ok(isMappedLocalhost('http://localhost:3000/'));
    assert.ok(!isMappedLocalhost('http://app-demo-lb-123.ap-northeast-1.elb.localhost:41234/'));
    assert.ok(!isMappedLocalhost('http://127.0.0.1/'), 'no port: not mapped');
  });
});

describe('core/external-url: loopbackForm', () => {
  it('a sandbox *.localhost name is opened as 127.0.0.1 on the same port (path kept); other URLs unchanged', () => {
    assert.equal(loopbackForm('http://app-demo-lb-1234567890.ap-northeast-1.elb.localhost:41234/app/?a=1'), 'http://127.0.0.1:41234/app/?a=1');
    assert.equal(loopbackForm('http://app-demo-lb-1.us-east-1.elb.amazonaws.com/app/'), 'http://app-demo-lb-1.us-east-1.elb.amazonaws.com/app/');
    assert.equal(loopbackForm('http://127.0.0.1:41234/app/'), 'http://127.0.0.1:41234/app/');
    assert.equal(loopbackForm('nonsense'), 'nonsense');
  });
});
