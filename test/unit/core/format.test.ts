import assert from 'node:assert/strict';
import {
  clusterNameFromArn, elbNameFromArn, familyOf, formatBytes, formatCpuUnits, formatDuration, formatMiB, idFromArn, loadBalancerArnOfListener,
  relativeTime, revisionFromArn, revisionNumberOf, shortId, toMillis,
} from '../../../src/core/format';

const NOW = Date.parse('2026-11-25T12:00:00Z');

describe('core/format', () => {
  it('relative time from an injected now', () => {
    assert.equal(relativeTime(NOW - 2_000, NOW), 'just now');
    assert.equal(relativeTime(NOW - 12_000, NOW), '12 sec ago');
    assert.equal(relativeTime(new Date(NOW - 125_000), NOW), '2 min ago');
    assert.equal(relativeTime(NOW - 3 * 3_600_000, NOW), '3 h ago');
    assert.equal(relativeTime(NOW - 50 * 3_600_000, NOW), '2 d ago');
    assert.equal(relativeTime(NOW + 120_000, NOW), 'in 2 min');
    assert.equal(relativeTime(undefined, NOW), '');
  });

  it('relative time goes through the translate function', () => {
    const t = (m: string, ...a: Array<string | number | boolean>) => `<${m}|${a.join(',')}>`;
    assert.equal(relativeTime(NOW - 120_000, NOW, t), '<{0} ago|<{0} min|2>>');
  });

  it('durations as m:ss and h:mm:ss', () => {
    assert.equal(formatDuration(42_000), '0:42');
    assert.equal(formatDuration(61_999), '1:01');
    assert.equal(formatDuration(3_723_000), '1:02:03');
    assert.equal(formatDuration(-5), '0:00');
  });

  it('revisions and families from ARNs', () => {
    const arn = 'arn:aws:ecs:us-east-1:123456789012:task-definition/demo-app-task:2';
    assert.equal(revisionFromArn(arn), 'demo-app-task:2');
    assert.equal(revisionFromArn('demo-app-task:2'), 'demo-app-task:2');
    assert.equal(familyOf(arn), 'demo-app-task');
    assert.equal(familyOf('demo-app-task'), 'demo-app-task');
    assert.equal(revisionNumberOf(arn), 2);
    assert.equal(revisionNumberOf('demo-app-task'), undefined);
  });

  it('ids from ARNs, old and new formats', () => {
    assert.equal(idFromArn('arn:aws:ecs:us-east-1:1:task/demo/6a12b3c4d5e6f7a8b9c0d1e2f3a4b5c6'), '6a12b3c4d5e6f7a8b9c0d1e2f3a4b5c6');
    assert.equal(idFromArn('arn:aws:ecs:us-east-1:1:task/6a12b3c4-aaaa'), '6a12b3c4-aaaa');
    assert.equal(idFromArn('arn:aws:ecs:us-east-1:1:service/demo/demo-service'), 'demo-service');
    assert.equal(idFromArn('arn:aws:ecs:us-east-1:1:cluster/demo'), 'demo');
    assert.equal(idFromArn('plain'), 'plain');
    assert.equal(shortId('arn:aws:ecs:us-east-1:1:task/demo/6a12b3c4d5e6f7a8'), '6a12b3c4');
    assert.equal(clusterNameFromArn('arn:aws:ecs:us-east-1:1:container-instance/demo/3f4de1c5'), 'demo');
    assert.equal(clusterNameFromArn('arn:aws:ecs:us-east-1:1:cluster/demo'), 'demo');
    assert.equal(clusterNameFromArn('arn:aws:ecs:us-east-1:1:task/abc'), undefined);
  });

  it('load balancer and target group names from ARNs', () => {
    assert.equal(elbNameFromArn('arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/demo-tg/73e2d6bc24d8a067'), 'demo-tg');
    assert.equal(elbNameFromArn('arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/demo-alb/50dc6c495c0c9188'), 'demo-alb');
  });

  it('sizes', () => {
    assert.equal(formatMiB(512), '512 MiB');
    assert.equal(formatMiB(1536), '1.5 GiB');
    assert.equal(formatBytes(1023), '1023 B');
    assert.equal(formatBytes(3 * 1024 * 1024), '3 MiB');
    assert.equal(formatCpuUnits(256), '256 (0.3 vCPU)');
    assert.equal(formatCpuUnits(2048), '2048 (2 vCPU)');
  });

  it('toMillis accepts Date, number and ISO strings', () => {
    assert.equal(toMillis(new Date(NOW)), NOW);
    assert.equal(toMillis('2026-11-25T12:00:00Z'), NOW);
    assert.equal(toMillis('not a date'), undefined);
  });
});

describe('core/format loadBalancerArnOfListener', () => {
  it('gives the load balancer of a listener ARN', () => {
    assert.equal(
      loadBalancerArnOfListener('arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener/app/app-demo-lb/50dc6c495c0c9188/f2f7dc8efc522ab2'),
      'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/app-demo-lb/50dc6c495c0c9188',
    );
  });
});
