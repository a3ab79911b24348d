import * as assert from 'node:assert/strict';
import { normaliseImageRef, resolveImage } from '../../../src/sandbox/runtime/images';
import { dockerExitCode } from '../../../src/sandbox/runtime/process-runtime';

describe('runtime images', () => {
  it('normalises references the way Docker does', () => {
    const cases: [string, string][] = [
      ['uzresk/demo:ver1.0', 'docker.io/uzresk/demo:ver1.0'],
      ['uzresk/demo', 'docker.io/uzresk/demo:latest'],
      ['docker.io/uzresk/demo:ver2.0', 'docker.io/uzresk/demo:ver2.0'],
      ['index.docker.io/uzresk/demo:ver2.0', 'docker.io/uzresk/demo:ver2.0'],
      ['nginx', 'docker.io/library/nginx:latest'],
      ['nginx:9.9', 'docker.io/library/nginx:9.9'],
      ['docker.io/nginx:1.27', 'docker.io/library/nginx:1.27'],
      ['docker.io/library/nginx:1.27', 'docker.io/library/nginx:1.27'],
      ['localhost:5000/demo', 'localhost:5000/demo:latest'],
      ['123456789012.dkr.ecr.us-east-1.amazonaws.com/demo:1', '123456789012.dkr.ecr.us-east-1.amazonaws.com/demo:1'],
      [`nginx@sha256:${'a'.repeat(64)}`, `docker.io/library/nginx@sha256:${'a'.repeat(64)}`],
    ];
    for (const [input, want] of cases) assert.deepEqual(normaliseImageRef(input), { ok: true, ref: want }, input);
  });

  it('rejects invalid references', () => {
    for (const bad of ['', ' nginx', 'nginx:', 'a//b', 'nginx:bad tag', 'nginx@sha256:xyz']) {
      assert.equal(normaliseImageRef(bad).ok, false, JSON.stringify(bad));
    }
    assert.deepEqual(normaliseImageRef('Uzresk/Demo'), {
      ok: false,
      error: 'invalid reference format: repository name (Uzresk/Demo) must be lowercase',
    });
  });

  it('knows the demo images: ver1.0, ver2.0, latest = ver2.0', () => {
    const version = (image: string) => {
      const r = resolveImage(image);
      return r.ok ? r.image.version : r.reason;
    };
    assert.equal(version('uzresk/demo:ver1.0'), 'ver1.0');
    assert.equal(version('docker.io/uzresk/demo:ver1.0'), 'ver1.0');
    assert.equal(version('uzresk/demo:ver2.0'), 'ver2.0');
    assert.equal(version('uzresk/demo:latest'), 'ver2.0');
    assert.equal(version('uzresk/demo'), 'ver2.0');
    assert.equal(version('docker.io/uzresk/demo'), 'ver2.0');
    const r = resolveImage('uzresk/demo:ver1.0');
    assert.ok(r.ok && r.image.containerPort === 8080);
  });

  it("fails any other image with ECS's CannotPullContainerError", () => {
    assert.deepEqual(resolveImage('nginx:9.9'), {
      ok: false,
      reason:
        'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/library/nginx:9.9: docker.io/library/nginx:9.9: not found',
    });
    const v3 = resolveImage('uzresk/demo:ver3.0');
    assert.ok(!v3.ok && v3.reason.endsWith('failed to resolve ref docker.io/uzresk/demo:ver3.0: docker.io/uzresk/demo:ver3.0: not found'));
    const bad = resolveImage('Uzresk/demo');
    assert.ok(!bad.ok && bad.reason.startsWith('CannotPullContainerError: failed to normalize image reference "Uzresk/demo": invalid reference format'));
  });

  it('reports exit codes as Docker does (128 + signal)', () => {
    assert.equal(dockerExitCode(0, null), 0);
    assert.equal(dockerExitCode(3, null), 3);
    assert.equal(dockerExitCode(null, 'SIGKILL'), 137);
    assert.equal(dockerExitCode(null, 'SIGTERM'), 143);
    assert.equal(dockerExitCode(null, null), null);
  });
});
