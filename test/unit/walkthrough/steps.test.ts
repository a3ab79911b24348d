import assert from 'node:assert/strict';
import { STEP_IDS } from '../../../src/core/walkthrough/step-ids';
import { emptySnapshot } from '../../../src/core/walkthrough/snapshot';
import {
  STEPS, cliScriptNow, defaultInputs, emptyProgress, missingPrerequisites, nextStep, observe, parseProgress, resolveInputs, validateInput,
  type CheckContext, type StepRecord,
} from '../../../src/core/walkthrough/steps';
import { deploymentView, probeSummary } from '../../../src/core/walkthrough/visuals';
import { optionLabel } from '../../../src/core/walkthrough/step-helpers';
import { defaultTranslate } from '../../../src/core/l10n';
import { PORT_EVENT, T0, ci, running, task, withCluster } from './fixtures';

const ctx = (step: keyof typeof STEPS, record: StepRecord = {}, inputs = {}): CheckContext => ({
  inputs: { ...defaultInputs(step), ...inputs },
  record,
  t: defaultTranslate,
});

describe('walkthrough steps', () => {
  it('has a spec for every step id, in order, with prerequisites only on earlier steps', () => {
    assert.deepEqual(Object.keys(STEPS).sort(), [...STEP_IDS].sort());
    for (const [i, id] of STEP_IDS.entries()) {
      for (const r of STEPS[id].requires) assert.ok(STEP_IDS.indexOf(r) < i, `${id} requires later ${r}`);
      assert.ok(STEPS[id].actions.length > 0, `${id} has an action`);
    }
  });

  it('pre-fills the article values', () => {
    assert.equal(defaultInputs('create-cluster').cluster, 'demo-cluster');
    assert.equal(defaultInputs('create-cluster').count, 2);
    assert.equal(defaultInputs('task-definition').image, 'uzresk/demo:ver1.0');
    assert.equal(defaultInputs('task-definition').hostPort, 80);
    assert.equal(defaultInputs('task-definition').containerPort, 8080);
    assert.equal(defaultInputs('load-balancer').loadBalancer, 'app-demo-lb');
    assert.equal(defaultInputs('create-service').service, 'demo-service');
    assert.equal(defaultInputs('release').image, 'uzresk/demo:ver2.0');
    assert.equal(defaultInputs('autoscaling-service').maxCapacity, 4);
    assert.equal(defaultInputs('autoscaling-service').cpuThreshold, 20);
    assert.equal(defaultInputs('autoscaling-run').amount, 100000);
    assert.equal(defaultInputs('autoscaling-run').connections, 100);
  });

  describe('checks', () => {
    it('prepare-image passes only when acknowledged', () => {
      assert.equal(STEPS['prepare-image'].check(emptySnapshot(), ctx('prepare-image')).status, 'fail');
      assert.equal(STEPS['prepare-image'].check(emptySnapshot(), ctx('prepare-image', { acknowledged: true })).status, 'pass');
    });

    it('create-cluster: demo-cluster with 2 container instances in two AZs', () => {
      assert.equal(STEPS['create-cluster'].check(withCluster(2), ctx('create-cluster')).status, 'pass');
      const one = STEPS['create-cluster'].check(withCluster(1), ctx('create-cluster'));
      assert.equal(one.status, 'waiting');
      assert.match(one.detail, /2 container instances registered \(1 now\)/);
      assert.equal(STEPS['create-cluster'].check(emptySnapshot(), ctx('create-cluster')).status, 'fail');
      const sameAz = withCluster(2);
      sameAz.containerInstances.forEach((c) => (c.availabilityZone = 'ap-northeast-1a'));
      assert.equal(STEPS['create-cluster'].check(sameAz, ctx('create-cluster')).status, 'waiting');
      const inactive = withCluster(2);
      inactive.clusters[0].status = 'INACTIVE';
      assert.equal(STEPS['create-cluster'].check(inactive, ctx('create-cluster')).status, 'fail');
    });

    it('task-definition: an ACTIVE revision with ver1.0 and 8080 → 80', () => {
      const s = running();
      assert.equal(STEPS['task-definition'].check(s, ctx('task-definition')).status, 'pass');
      s.taskDefinitions[0].hostPort = null;
      const r = STEPS['task-definition'].check(s, ctx('task-definition'));
      assert.equal(r.status, 'fail');
      assert.match(r.detail, /container port 8080 mapped to host port 80/);
      assert.equal(STEPS['task-definition'].check(s, ctx('task-definition', {}, { hostPort: '' })).status, 'pass', 'empty host port = dynamic');
      s.taskDefinitions[0].status = 'INACTIVE';
      assert.equal(STEPS['task-definition'].check(s, ctx('task-definition', {}, { hostPort: '' })).status, 'fail');
    });

    it('load-balancer: app-demo-lb active with listener 80 and a target group', () => {
      const s = running();
      assert.equal(STEPS['load-balancer'].check(s, ctx('load-balancer')).status, 'pass');
      s.loadBalancers[0].state = 'provisioning';
      assert.equal(STEPS['load-balancer'].check(s, ctx('load-balancer')).status, 'waiting');
      s.loadBalancers[0].state = 'active';
      s.targetGroups = [];
      assert.match(STEPS['load-balancer'].check(s, ctx('load-balancer')).detail, /target group/);
    });

    it('create-service: demo-service has 2 RUNNING tasks behind app-demo-lb', () => {
      const s = running();
      const ok = STEPS['create-service'].check(s, ctx('create-service'));
      assert.equal(ok.status, 'pass');
      assert.equal(ok.detail, 'demo-service has 2 RUNNING tasks behind app-demo-lb.');
      const pending = running();
      pending.tasks[1].lastStatus = 'PENDING';
      const r = STEPS['create-service'].check(pending, ctx('create-service'));
      assert.equal(r.status, 'waiting');
      assert.match(r.detail, /2 RUNNING tasks \(1 now, 1 pending\)/);
      // RUNNING but not yet healthy behind the load balancer (5 checks, 30 s apart): not serving yet.
      const initial = running();
      initial.targetGroups[0].targets[1].health = 'initial';
      const notYet = STEPS['create-service'].check(initial, ctx('create-service'));
      assert.equal(notYet.status, 'waiting');
      assert.match(notYet.detail, /2 healthy targets behind app-demo-lb \(1 now\)/);
      const noLb = running();
      noLb.services[0].targetGroupArns = [];
      assert.match(STEPS['create-service'].check(noLb, ctx('create-service')).detail, /behind app-demo-lb/);
    });

    it('kill-container: passes once the stopped task is replaced by a new id', () => {
      const before = running();
      const action = STEPS['kill-container'].actions[0];
      const args = action.args!(defaultInputs('kill-container'), before, defaultTranslate) as { task: string; cluster: string };
      assert.equal(args.cluster, 'demo-cluster');
      const record = action.record!(defaultInputs('kill-container'), before, args);
      assert.equal(record.baselineTaskIds?.length, 2);
      // Right after the stop: only one RUNNING, the stopped one STOPPED.
      const during = running();
      during.tasks[0].lastStatus = 'STOPPED';
      during.tasks[0].desiredStatus = 'STOPPED';
      assert.equal(STEPS['kill-container'].check(during, ctx('kill-container', record)).status, 'waiting');
      // Replaced.
      const after = running();
      after.tasks[0] = { ...after.tasks[0], lastStatus: 'STOPPED', desiredStatus: 'STOPPED' };
      after.tasks.push(task('99aa88bb77cc66dd55ee44ff33001122', 1, { containerInstanceArn: ci(1) }));
      assert.equal(args.task, after.tasks[0].arn, 'stops the oldest task');
      // RUNNING but not yet healthy behind the load balancer: still waiting.
      after.targetGroups[0].targets = [
        { id: 'i-0abc1', port: 80, health: 'initial' },
        { id: 'i-0abc2', port: 80, health: 'healthy' },
      ];
      const notYet = STEPS['kill-container'].check(after, ctx('kill-container', record));
      assert.equal(notYet.status, 'waiting');
      assert.ok(notYet.items.some((i) => !i.ok && i.label.includes('2 healthy targets behind app-demo-lb (1 now)')), JSON.stringify(notYet.items));
      after.targetGroups[0].targets[0].health = 'healthy';
      const r = STEPS['kill-container'].check(after, ctx('kill-container', record));
      assert.equal(r.status, 'pass', r.detail);
      // Nothing was stopped yet → not done.
      assert.equal(STEPS['kill-container'].check(running(), ctx('kill-container')).status, 'fail');
    });

    it('kill-container: no running task → the action refuses with a reason', () => {
      const s = running();
      s.tasks = [];
      assert.match(String((STEPS['kill-container'].actions[0].args!(defaultInputs('kill-container'), s, defaultTranslate) as { error: string }).error), /No RUNNING task/);
    });

    it('release: passes when only ver2.0 tasks run after the update', () => {
      const s = running();
      s.taskDefinitions.push({ family: 'demo-app-task', revision: 2, arn: 'x:2', status: 'ACTIVE', image: 'uzresk/demo:ver2.0', containerPort: 8080, hostPort: 80 });
      const update = STEPS.release.actions.find((a) => a.id === 'update')!;
      assert.deepEqual(update.args!(defaultInputs('release'), s, defaultTranslate), { cluster: 'demo-cluster', service: 'demo-service', taskDefinition: 'demo-app-task:2' });
      const record = { ranAt: T0 + 200_000 };
      // Stuck: PRIMARY :2 with nothing running, ACTIVE :1 with 2.
      s.services[0].deployments = [
        { id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: 'demo-app-task:2', desired: 2, running: 0, pending: 0, rolloutState: 'IN_PROGRESS', createdAt: T0 + 200_000 },
        { id: 'ecs-svc/1', status: 'ACTIVE', taskDefinition: 'demo-app-task:1', desired: 2, running: 2, pending: 0, rolloutState: 'COMPLETED', createdAt: T0 },
      ];
      s.services[0].taskDefinition = 'demo-app-task:2';
      assert.equal(STEPS.release.check(s, ctx('release', record)).status, 'waiting');
      // Done.
      s.services[0].deployments = [{ id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: 'demo-app-task:2', desired: 2, running: 2, pending: 0, rolloutState: 'COMPLETED', createdAt: T0 + 200_000 }];
      s.tasks = [task('1111', 2), task('2222', 2, { containerInstanceArn: ci(2) })];
      const r = STEPS.release.check(s, ctx('release', record));
      assert.equal(r.status, 'pass', r.detail);
      assert.equal(r.detail, 'The service runs uzresk/demo:ver2.0.');
    });

    it('bluegreen-port-conflict: needs the ECS port event after the update', () => {
      const s = running(T0 + 300_000);
      const record = { ranAt: T0 + 250_000, lastEventAt: T0 + 100_000 };
      assert.equal(STEPS['bluegreen-port-conflict'].check(s, ctx('bluegreen-port-conflict', record)).status, 'waiting');
      s.services[0].events.unshift({ createdAt: T0 + 260_000, message: PORT_EVENT });
      const r = STEPS['bluegreen-port-conflict'].check(s, ctx('bluegreen-port-conflict', record));
      assert.equal(r.status, 'pass');
      assert.match(r.detail, /already using a port required by your task/);
      // An old event from long before the update does not count.
      const old = running(T0 + 900_000);
      old.services[0].events.unshift({ createdAt: T0 + 150_000, message: PORT_EVENT });
      const recorded = STEPS['bluegreen-port-conflict'].actions.find((a) => a.id === 'update')!.record!(defaultInputs('bluegreen-port-conflict'), old, {});
      assert.equal(recorded.lastEventAt, T0 + 150_000);
      assert.notEqual(STEPS['bluegreen-port-conflict'].check(old, ctx('bluegreen-port-conflict', recorded)).status, 'pass', 'the same old event');
      old.services[0].events.unshift({ createdAt: T0 + 150_001, message: PORT_EVENT });
      assert.equal(STEPS['bluegreen-port-conflict'].check(old, ctx('bluegreen-port-conflict', recorded)).status, 'pass', 'a new one');
      // Without the update from the walkthrough it is not done either.
      assert.equal(STEPS['bluegreen-port-conflict'].check(s, ctx('bluegreen-port-conflict')).status, 'fail');
    });

    it('bluegreen-four-instances: 4 instances, 4 tasks seen at once, then only the new revision', () => {
      const s = running();
      for (let i = 3; i <= 4; i++) s.containerInstances.push({ arn: ci(i), cluster: 'demo-cluster', status: 'ACTIVE', usedPorts: [80], runningTasks: 1 });
      s.taskDefinitions.push({ family: 'demo-app-task', revision: 4, arn: 'x:4', status: 'ACTIVE', image: 'uzresk/demo:ver2.0', containerPort: 8080, hostPort: 80 });
      s.services[0].deployments = [{ id: 'd4', status: 'PRIMARY', taskDefinition: 'demo-app-task:4', desired: 2, running: 2, pending: 0, rolloutState: 'COMPLETED', createdAt: T0 + 100_000 }];
      s.tasks = [task('n1', 4, { containerInstanceArn: ci(3) }), task('n2', 4, { containerInstanceArn: ci(4) })];
      let record: StepRecord = { ranAt: T0 + 100_000, maxRunning: 2 };
      assert.equal(STEPS['bluegreen-four-instances'].check(s, ctx('bluegreen-four-instances', record)).status, 'waiting', 'never saw 4 tasks');
      const four = running();
      four.tasks.push(task('n1', 4, { containerInstanceArn: ci(3) }), task('n2', 4, { containerInstanceArn: ci(4) }));
      record = observe('bluegreen-four-instances', record, four, defaultInputs('bluegreen-four-instances'));
      assert.equal(record.maxRunning, 4);
      assert.equal(STEPS['bluegreen-four-instances'].check(s, ctx('bluegreen-four-instances', record)).status, 'pass');
      const two = running();
      assert.notEqual(STEPS['bluegreen-four-instances'].check(two, ctx('bluegreen-four-instances', record)).status, 'pass', 'only 2 instances');
    });

    it('bluegreen-four-instances: old tasks being drained (DEACTIVATING) still count as running at once', () => {
      // What the sandbox (and ECS) shows mid Blue/Green: the new tasks RUNNING, the old ones deregistered
      // and waiting out the deregistration delay.
      const draining = running();
      for (const tk of draining.tasks) tk.lastStatus = 'DEACTIVATING';
      draining.tasks.push(task('n1', 4, { containerInstanceArn: ci(3) }), task('n2', 4, { containerInstanceArn: ci(4) }));
      const record = observe('bluegreen-four-instances', { ranAt: T0 + 100_000, maxRunning: 2 }, draining, defaultInputs('bluegreen-four-instances'));
      assert.equal(record.maxRunning, 4);
      const stopping = running();
      for (const tk of stopping.tasks) tk.lastStatus = 'STOPPED';
      stopping.tasks.push(task('n1', 4, { containerInstanceArn: ci(3) }));
      assert.equal(observe('bluegreen-four-instances', { ranAt: T0 + 100_000, maxRunning: 2 }, stopping, defaultInputs('bluegreen-four-instances')).maxRunning, 2);
    });

    it('bluegreen-dynamic-ports: the service runs a revision without a host port', () => {
      const s = running();
      s.taskDefinitions.push({ family: 'demo-app-task', revision: 5, arn: 'x:5', status: 'ACTIVE', image: 'uzresk/demo:ver1.0', containerPort: 8080, hostPort: null });
      s.services[0].deployments = [{ id: 'd5', status: 'PRIMARY', taskDefinition: 'demo-app-task:5', desired: 2, running: 2, pending: 0, rolloutState: 'COMPLETED', createdAt: T0 + 50_000 }];
      s.tasks = [task('d1', 5, { hostPort: 32768 }), task('d2', 5, { hostPort: 32769, containerInstanceArn: ci(2) })];
      assert.equal(STEPS['bluegreen-dynamic-ports'].check(s, ctx('bluegreen-dynamic-ports', { ranAt: T0 + 50_000, maxRunning: 4 })).status, 'pass');
      assert.notEqual(STEPS['bluegreen-dynamic-ports'].check(running(), ctx('bluegreen-dynamic-ports', { ranAt: T0, maxRunning: 4 })).status, 'pass', 'static port 80 revision');
      // Still on the 4 instances of the previous step: dynamic ports are about 4 tasks on 2 instances.
      for (let i = 3; i <= 4; i++) s.containerInstances.push({ arn: ci(i), cluster: 'demo-cluster', status: 'ACTIVE', usedPorts: [], runningTasks: 0 });
      const four = STEPS['bluegreen-dynamic-ports'].check(s, ctx('bluegreen-dynamic-ports', { ranAt: T0 + 50_000, maxRunning: 4 }));
      assert.notEqual(four.status, 'pass', '4 instances');
      assert.ok(four.items.some((i) => !i.ok && i.label.includes('2 container instances (4 now)')), JSON.stringify(four.items));
      s.containerInstances[3].status = 'DRAINING';
      s.containerInstances[2].status = 'INACTIVE';
      assert.equal(STEPS['bluegreen-dynamic-ports'].check(s, ctx('bluegreen-dynamic-ports', { ranAt: T0 + 50_000, maxRunning: 4 })).status, 'pass', 'the 2 others are leaving');
    });

    it('autoscaling-service: scalable target 2–4, two policies, a 20% alarm', () => {
      const s = emptySnapshot(T0, ['serviceScaling', 'alarms']);
      assert.equal(STEPS['autoscaling-service'].check(s, ctx('autoscaling-service')).status, 'fail');
      s.scalableTargets.push({ resourceId: 'service/demo-cluster/demo-service', min: 2, max: 4, policies: ['demo-service-cpu-scale-out', 'demo-service-cpu-scale-in'] });
      s.alarms.push({ name: 'demo-service-cpu-high', state: 'OK', metricName: 'CPUUtilization', threshold: 20, comparison: 'GreaterThanThreshold', dimensions: { ClusterName: 'demo-cluster', ServiceName: 'demo-service' } });
      assert.equal(STEPS['autoscaling-service'].check(s, ctx('autoscaling-service')).status, 'pass');
      s.scalableTargets[0].max = 3;
      assert.equal(STEPS['autoscaling-service'].check(s, ctx('autoscaling-service')).status, 'fail');
    });

    it('autoscaling-cluster: the Auto Scaling group with max 4, policies and a cluster alarm', () => {
      const s = emptySnapshot(T0, ['autoScalingGroups', 'alarms']);
      s.autoScalingGroups.push({ name: 'demo-cluster-asg', min: 2, max: 2, desired: 2, instances: 2, policies: [] });
      assert.equal(STEPS['autoscaling-cluster'].check(s, ctx('autoscaling-cluster')).status, 'fail');
      s.autoScalingGroups[0] = { ...s.autoScalingGroups[0], max: 4, policies: ['out', 'in'] };
      s.alarms.push({ name: 'demo-cluster-cpu-high', state: 'OK', metricName: 'CPUUtilization', threshold: 20, comparison: 'GreaterThanThreshold', dimensions: { ClusterName: 'demo-cluster' } });
      assert.equal(STEPS['autoscaling-cluster'].check(s, ctx('autoscaling-cluster')).status, 'pass');
    });

    it('autoscaling-run: alarm → 4 tasks → 4 instances → back to 2, seen in order', () => {
      const inputs = defaultInputs('autoscaling-run');
      let record: StepRecord = { ranAt: T0 };
      const s = running();
      s.parts.push('alarms');
      assert.equal(STEPS['autoscaling-run'].check(s, ctx('autoscaling-run', record)).status, 'waiting');
      const high = running();
      high.parts.push('alarms');
      high.alarms.push({ name: 'high', state: 'ALARM', metricName: 'CPUUtilization', threshold: 20, comparison: 'GreaterThanThreshold', dimensions: { ClusterName: 'demo-cluster', ServiceName: 'demo-service' } });
      high.services[0].desiredCount = 4;
      for (let i = 3; i <= 4; i++) high.containerInstances.push({ arn: ci(i), cluster: 'demo-cluster', status: 'ACTIVE', usedPorts: [], runningTasks: 1 });
      record = observe('autoscaling-run', record, high, inputs);
      assert.deepEqual([record.sawAlarm, record.maxDesired, record.maxInstances, record.scaledInAfterPeak], [true, 4, 4, undefined]);
      assert.equal(STEPS['autoscaling-run'].check(high, ctx('autoscaling-run', record)).status, 'waiting');
      record = observe('autoscaling-run', record, s, inputs);
      assert.equal(record.scaledInAfterPeak, true);
      // Desired back at 2, but the instances that held the tasks were terminated: none RUNNING yet.
      const gone = running();
      gone.parts.push('alarms');
      gone.services[0].runningCount = 0;
      assert.equal(STEPS['autoscaling-run'].check(gone, ctx('autoscaling-run', record)).status, 'waiting');
      assert.equal(STEPS['autoscaling-run'].check(s, ctx('autoscaling-run', record)).status, 'pass');
      // Before the load started nothing is observed.
      assert.deepEqual(observe('autoscaling-run', {}, high, inputs), {});
    });

    it('cleanup: passes only when service, load balancer and cluster are gone', () => {
      assert.equal(STEPS.cleanup.check(running(), ctx('cleanup')).status, 'fail');
      assert.equal(STEPS.cleanup.check(emptySnapshot(), ctx('cleanup')).status, 'pass');
      const s = running();
      s.services[0].status = 'INACTIVE';
      s.loadBalancers = [];
      s.clusters[0].status = 'INACTIVE';
      assert.equal(STEPS.cleanup.check(s, ctx('cleanup')).status, 'pass');
    });
  });

  describe('inputs', () => {
    it('validates types, ranges, names and options', () => {
      const count = STEPS['create-cluster'].inputs.find((i) => i.key === 'count')!;
      assert.equal(validateInput(count, 2), undefined);
      assert.equal(validateInput(count, '3'), undefined);
      assert.match(validateInput(count, 0)!, /At least 1/);
      assert.match(validateInput(count, 2.5)!, /whole number/);
      assert.match(validateInput(count, 'two')!, /whole number/);
      const name = STEPS['create-cluster'].inputs.find((i) => i.key === 'cluster')!;
      assert.match(validateInput(name, 'demo cluster')!, /letters, digits/);
      assert.match(validateInput(name, '')!, /Enter a value/);
      assert.match(validateInput(name, 'x'.repeat(600))!, /Too long/);
      const type = STEPS['create-cluster'].inputs.find((i) => i.key === 'instanceType')!;
      assert.match(validateInput(type, 'z9.huge')!, /Pick one of/);
      const ci2 = STEPS['create-cluster'].inputs.find((i) => i.key === 'containerInsights')!;
      assert.match(validateInput(ci2, 'yes')!, /on or off/);
      const host = STEPS['task-definition'].inputs.find((i) => i.key === 'hostPort')!;
      assert.equal(validateInput(host, ''), undefined, 'optional');
    });

    it('the EC2 capacity choice shows human labels, not API words (autoScalingGroup)', () => {
      const capacity = STEPS['create-cluster'].inputs.find((i) => i.key === 'capacity')!;
      assert.deepEqual(capacity.options!.map((o) => optionLabel(o, defaultTranslate)), ['Instances from a launch template', 'An Auto Scaling group']);
      assert.equal(optionLabel('t3.small', defaultTranslate), 't3.small', 'an instance type is its own name');
      const err = validateInput(capacity, 'spot')!;
      assert.match(err, /Pick one of: Instances from a launch template, An Auto Scaling group/);
      assert.doesNotMatch(err, /autoScalingGroup/);
    });

    it('resolveInputs keeps valid values, reports errors and drops unknown keys', () => {
      const r = resolveInputs('create-cluster', { cluster: 'my-cluster', count: 'x', evil: 'y' });
      assert.equal(r.values.cluster, 'my-cluster');
      assert.equal(r.values.count, 2, 'default kept for the bad value');
      assert.ok(r.errors.count);
      assert.ok(!('evil' in r.values));
    });
  });

  describe('progress', () => {
    it('prerequisites, next step and defensive parsing', () => {
      const p = emptyProgress();
      assert.deepEqual(missingPrerequisites('create-service', p), ['create-cluster', 'task-definition', 'load-balancer']);
      p.steps['create-cluster'] = { done: true };
      assert.deepEqual(missingPrerequisites('create-service', p), ['task-definition', 'load-balancer']);
      assert.equal(nextStep(p), 'prepare-image');
      const parsed = parseProgress({ current: 'release', steps: { release: { done: true, inputs: { image: 'a b c' } }, bogus: { done: true } } });
      assert.equal(parsed.current, 'release');
      assert.equal(parsed.steps.release?.done, true);
      assert.equal(parsed.steps.release?.inputs?.image, 'uzresk/demo:ver2.0', 'invalid stored input replaced by the default');
      assert.ok(!('bogus' in parsed.steps));
      assert.equal(parseProgress({ current: 'nope' }).current, 'prepare-image');
      assert.equal(parseProgress('garbage').current, 'prepare-image');
    });

    it('keeps the AWS CLI text each action sent (well-formed only), shown with the sandbox\'s endpoint of now', () => {
      const script = 'aws ecs create-cluster --cluster-name demo-cluster --region us-east-1 --endpoint-url http://127.0.0.1:4566';
      const parsed = parseProgress({ current: 'create-cluster', steps: { 'create-cluster': { done: false, cli: { create: { script, at: 5, endpoint: 'http://127.0.0.1:4566' }, bad: { script: 7 }, worse: 'x' } } } });
      assert.deepEqual(parsed.steps['create-cluster']?.cli, { create: { script, at: 5, endpoint: 'http://127.0.0.1:4566' } });
      assert.equal(parseProgress({ steps: { 'create-cluster': { done: true, cli: { bad: null } } } }).steps['create-cluster']?.cli, undefined);
      const c = parsed.steps['create-cluster'].cli.create;
      assert.equal(cliScriptNow(c, 'http://127.0.0.1:4566'), script);
      assert.equal(cliScriptNow(c, 'http://127.0.0.1:39001'), script.replace('4566', '39001'));
      assert.equal(cliScriptNow(c, undefined), script);
    });
  });

  describe('visuals', () => {
    it('deployment view: tasks per instance with host ports, new vs old', () => {
      const s = running();
      s.services[0].deployments.unshift({ id: 'd2', status: 'PRIMARY', taskDefinition: 'demo-app-task:2', desired: 2, running: 1, pending: 0 });
      s.services[0].deployments[1].status = 'ACTIVE';
      s.tasks.push(task('new1', 2, { containerInstanceArn: ci(1), hostPort: 32768 }));
      s.tasks.push(task('gone', 1, { lastStatus: 'STOPPED' }));
      const v = deploymentView(s, 'demo-app-task', 'demo-service');
      assert.equal(v.instances.length, 2);
      assert.deepEqual(v.instances[0].tasks.map((t) => [t.id, t.isNew, t.hostPort]), [['a1b2c3d4e5f60718293a4b5c6d7e8f90', false, 80], ['new1', true, 32768]]);
      assert.equal(v.deployments[0].status, 'PRIMARY');
      assert.ok(!v.instances.flatMap((i) => i.tasks).some((t) => t.id === 'gone'), 'stopped tasks not shown');
    });

    it('probe summary: the 502 window', () => {
      const samples = [200, 200, 502, 502, 502, 0, 200, 200, 503, 200].map((status, i) => ({ t: i * 200, status, ms: 5 }));
      const sm = probeSummary(samples);
      assert.equal(sm.total, 10);
      assert.equal(sm.errors, 5);
      assert.equal(sm.windows.length, 2);
      assert.equal(sm.longestErrorMs, 800, 'from the first 502 (400 ms) to the next 200 (1200 ms)');
      assert.deepEqual(sm.windows, [{ from: 400, to: 1200 }, { from: 1600, to: 1800 }]);
      assert.equal(probeSummary(samples.filter((x) => x.status === 200)).errors, 0);
    });
  });
});
