/**
 * The walkthrough's step model (pure: no vscode, no I/O). Per step: its inputs (the article's
 * values as defaults, validated), the extension commands its buttons run and with which arguments,
 * which earlier steps it needs, and its live check — a pure function of an API snapshot
 * (snapshot.ts) plus what the walkthrough recorded when the step's action ran.
 */
import { failure } from '../commands/failure';
import type { StepId } from './step-ids';
import type { Snapshot } from './snapshot';
import { commandAction, type StepRecord, type StepSpec, type InputValues } from './step-types';
import { str, num, validImage, input, findCluster, findService, serviceTasks, latestRevision, taskDef, result, acknowledgeStep, rolloutItems, updateArgs, baseline, imageOf, registerRevisionAction, stopOneTaskAction, showServiceLogsAction, healthyItem, behind, activeInstances } from './step-helpers';
import { PORT_CONFLICT_TEXT } from './step-helpers';
export { PORT_CONFLICT_TEXT };
export * from './step-types';
export * from './progress';

export const STEPS: Record<StepId, StepSpec> = {
  'prepare-image': acknowledgeStep('prepare-image', [], 'none', [
    { key: 'image', label: 'Image (ver1.0)', kind: 'text', default: 'uzresk/demo:ver1.0', validate: validImage },
    { key: 'image2', label: 'Image (ver2.0)', kind: 'text', default: 'uzresk/demo:ver2.0', validate: validImage },
  ]),

  'construction-order': acknowledgeStep('construction-order', ['prepare-image'], 'order'),

  'create-cluster': {
    id: 'create-cluster',
    requires: [],
    visual: 'none',
    inputs: [
      input.cluster(),
      { key: 'instanceType', label: 'Instance type', kind: 'select', default: 't3.small', options: ['t3.micro', 't3.small', 't3.medium', 't3.large', 'm5.large', 'c5.large'] },
      { key: 'count', label: 'Number of instances', kind: 'number', default: 2, min: 1, max: 20 },
      { key: 'capacity', label: 'EC2 capacity', kind: 'select', default: 'autoScalingGroup', options: ['instances', 'autoScalingGroup'] },
      { key: 'containerInsights', label: 'Container Insights (only at creation)', kind: 'boolean', default: false },
    ],
    actions: [
      commandAction('ecsHandson.cluster.create', {
        id: 'create',
        label: 'Create cluster',
        args: (i) => ({
          name: str(i.cluster),
          instanceType: str(i.instanceType, 't3.small'),
          count: num(i.count, 2),
          containerInsights: i.containerInsights === true,
          // 'autoScalingGroup' is what cluster auto scaling (6b) and the 4-instance step (4b) need;
          // (default); 'instances' works on every endpoint, also one without EC2 Auto Scaling.
          capacity: str(i.capacity, 'autoScalingGroup') === 'autoScalingGroup' ? 'autoScalingGroup' : 'instances',
        }),
      }),
    ],
    parts: ['clusters', 'containerInstances'],
    check: (s, { inputs, t }) => {
      const name = str(inputs.cluster);
      const count = num(inputs.count, 2);
      const c = findCluster(s, name);
      const cis = activeInstances(s, name);
      const azs = new Set(cis.map((ci) => ci.availabilityZone).filter(Boolean));
      const items = [
        { label: t('cluster {0} is ACTIVE', name), ok: !!c },
        { label: t('{0} container instances registered ({1} now)', count, cis.length), ok: cis.length >= count },
        { label: t('instances in two Availability Zones'), ok: count < 2 || azs.size >= 2 || (cis.length >= count && cis.every((ci) => !ci.availabilityZone)) },
      ];
      return result(items, t, t('{0} is ACTIVE with {1} container instances.', name, cis.length), !!c);
    },
  },

  'task-definition': {
    id: 'task-definition',
    requires: [],
    visual: 'none',
    inputs: [
      input.family(),
      input.image('uzresk/demo:ver1.0'),
      { key: 'cpu', label: 'CPU units', kind: 'number', default: 256, min: 0, max: 10240 },
      { key: 'memory', label: 'Memory hard limit (MiB)', kind: 'number', default: 512, min: 6, max: 120000 },
      { key: 'memoryReservation', label: 'Memory soft limit (MiB)', kind: 'number', default: 256, min: 6, max: 120000 },
      { key: 'containerPort', label: 'Container port', kind: 'number', default: 8080, min: 1, max: 65535 },
      { key: 'hostPort', label: 'Host port', kind: 'number', default: 80, min: 1, max: 65535, optional: true },
      { key: 'environment', label: 'Environment (KEY=value, comma separated)', kind: 'text', default: 'APP_ENV=handson', optional: true,
        validate: (v) => (String(v).split(',').map((x) => x.trim()).filter(Boolean).every((x) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(x)) ? undefined : 'Use KEY=value, separated by commas.') },
      // As the console's "Log collection" (on by default): awslogs to /ecs/<family>.
      { key: 'logs', label: 'Container logs to CloudWatch Logs (/ecs/<family>)', kind: 'boolean', default: true },
    ],
    actions: [
      commandAction('ecsHandson.taskDefinition.register', {
        id: 'register',
        label: 'Register task definition',
        args: (i) => ({
          family: str(i.family),
          image: str(i.image),
          cpu: num(i.cpu, 256),
          memory: num(i.memory, 512),
          memoryReservation: num(i.memoryReservation, 256),
          containerPort: num(i.containerPort, 8080),
          hostPort: str(i.hostPort) === '' ? null : num(i.hostPort, 80),
          environment: str(i.environment).split(',').map((x) => x.trim()).filter(Boolean),
          logs: i.logs !== false,
        }),
      }),
    ],
    parts: ['taskDefinitions'],
    check: (s, { inputs, t }) => {
      const family = str(inputs.family);
      const image = str(inputs.image);
      const rev = s.taskDefinitions.filter((d) => d.family === family && d.status === 'ACTIVE' && d.image === image).sort((a, b) => b.revision - a.revision)[0];
      const wantPort = str(inputs.hostPort) === '' ? null : num(inputs.hostPort, 80);
      const items = [
        { label: t('an ACTIVE revision of {0} with {1}', family, image), ok: !!rev },
        { label: t('container port {0} mapped to host port {1}', num(inputs.containerPort, 8080), wantPort ?? t('(dynamic)')), ok: !!rev && rev.containerPort === num(inputs.containerPort, 8080) && rev.hostPort === wantPort },
      ];
      return result(items, t, t('{0}:{1} is registered.', family, rev?.revision ?? '?'));
    },
  },

  'load-balancer': {
    id: 'load-balancer',
    requires: ['create-cluster'],
    visual: 'none',
    inputs: [
      input.lb(),
      { key: 'port', label: 'Listener port', kind: 'number', default: 80, min: 1, max: 65535 },
      { key: 'healthCheckPath', label: 'Health check path', kind: 'text', default: '/app/', validate: (v) => (String(v).startsWith('/') ? undefined : 'Starts with /.') },
      { key: 'registerInstancesOf', label: 'Register the instances of cluster', kind: 'text', default: 'demo-cluster', optional: true },
    ],
    actions: [
      commandAction('ecsHandson.loadBalancer.create', {
        id: 'create',
        label: 'Create load balancer',
        args: (i) => ({
          name: str(i.loadBalancer),
          port: num(i.port, 80),
          targetPort: 80,
          healthCheckPath: str(i.healthCheckPath, '/app/'),
          registerInstancesOf: str(i.registerInstancesOf),
        }),
      }),
    ],
    parts: ['loadBalancers'],
    check: (s, { inputs, t }) => {
      const name = str(inputs.loadBalancer);
      const { lb, targetGroup: tg } = behind(s, name);
      const items = [
        { label: t('load balancer {0} exists', name), ok: !!lb },
        { label: t('it is active'), ok: !!lb && (lb.state === undefined || lb.state === 'active') },
        { label: t('a listener on port {0}', num(inputs.port, 80)), ok: !!lb && lb.listenerPorts.includes(num(inputs.port, 80)) },
        { label: t('a target group behind it'), ok: !!tg },
      ];
      return result(items, t, t('{0} answers at {1}', name, lb?.url ?? lb?.dnsName ?? '?'), !!lb && lb.state === 'provisioning');
    },
  },

  'create-service': {
    id: 'create-service',
    requires: ['create-cluster', 'task-definition', 'load-balancer'],
    visual: 'none',
    inputs: [
      input.cluster(),
      input.service(),
      input.family(),
      { key: 'desiredCount', label: 'Number of tasks', kind: 'number', default: 2, min: 0, max: 100 },
      input.lb(),
      { key: 'containerPort', label: 'Container port', kind: 'number', default: 8080, min: 1, max: 65535 },
    ],
    actions: [
      commandAction('ecsHandson.service.create', {
        id: 'create',
        label: 'Create service',
        parts: ['taskDefinitions', 'loadBalancers'],
        args: (i, s) => {
          const tg = behind(s, str(i.loadBalancer)).targetGroup;
          const latest = latestRevision(s, str(i.family));
          return {
            cluster: str(i.cluster),
            serviceName: str(i.service),
            desiredCount: num(i.desiredCount, 2),
            ...(latest ? { taskDefinition: `${latest.family}:${latest.revision}` } : {}),
            loadBalancer: tg ? { targetGroupArn: tg.arn, containerPort: num(i.containerPort, 8080) } : { targetGroupName: `${str(i.loadBalancer)}-tg`, containerPort: num(i.containerPort, 8080) },
          };
        },
      }),
    ],
    parts: ['services', 'tasks', 'loadBalancers'],
    check: (s, { inputs, t }) => {
      const cluster = str(inputs.cluster);
      const name = str(inputs.service);
      const want = num(inputs.desiredCount, 2);
      const svc = findService(s, cluster, name);
      const lbTgs = behind(s, str(inputs.loadBalancer)).targetGroups.map((g) => g.arn);
      const running = serviceTasks(s, cluster, name);
      const pending = serviceTasks(s, cluster, name, 'PENDING').length + serviceTasks(s, cluster, name, 'PROVISIONING').length + serviceTasks(s, cluster, name, 'ACTIVATING').length;
      const items = [
        { label: t('service {0} exists', name), ok: !!svc },
        { label: t('it is behind {0}', str(inputs.loadBalancer)), ok: !!svc && svc.targetGroupArns.some((a) => lbTgs.includes(a)) },
        { label: t('{0} RUNNING tasks ({1} now, {2} pending)', want, running.length, pending), ok: running.length >= want && want > 0 },
        // "Serving" means healthy behind the load balancer (5 passing checks, 30 s apart by default).
        healthyItem(s, svc, str(inputs.loadBalancer), want, t),
      ];
      return result(items, t, t('{0} has {1} RUNNING tasks behind {2}.', name, running.length, str(inputs.loadBalancer)), !!svc);
    },
  },

  'kill-container': {
    id: 'kill-container',
    requires: ['create-service'],
    visual: 'probe',
    inputs: [input.cluster(), input.service(), input.lb()],
    actions: [
      stopOneTaskAction(false),
      stopOneTaskAction(true, 'Crash a task (sandbox fault)', 'sandboxKill'),
      showServiceLogsAction(),
      commandAction('ecsHandson.targetGroup.configureHealthCheck', {
        id: 'fastHealthCheck',
        label: 'Use shorter health checks',
        parts: ['loadBalancers'],
        args: (i, s, t) => {
          const tg = behind(s, str(i.loadBalancer)).targetGroup;
          return tg ? { targetGroup: tg.arn, preset: 'fast' } : failure('NotFound', t('No target group behind {0}.', str(i.loadBalancer)));
        },
        secondary: true,
      }),
    ],
    parts: ['services', 'tasks', 'loadBalancers'],
    check: (s, { inputs, record, t }) => {
      const cluster = str(inputs.cluster);
      const name = str(inputs.service);
      const svc = findService(s, cluster, name);
      const running = serviceTasks(s, cluster, name);
      const stopped = record.stoppedTaskId;
      const replacement = running.filter((tk) => !(record.baselineTaskIds ?? []).includes(tk.id));
      const want = svc?.desiredCount ?? 2;
      const items = [
        { label: t('a task was stopped'), ok: !!stopped && !running.some((tk) => tk.id === stopped) },
        { label: t('a task with a different id replaced it'), ok: !!stopped && replacement.length > 0 },
        { label: t('{0} RUNNING tasks again', want), ok: !!svc && running.length >= svc.desiredCount },
        // Healthy behind the load balancer again, not only RUNNING: until then the ALB has one target
        // fewer, and a release started now sees the new task as not yet healthy (ECS may then stop
        // both old tasks itself instead of waiting, and the article's "stuck on port 80" never shows).
        healthyItem(s, svc, str(inputs.loadBalancer), want, t),
      ];
      return result(items, t, t('Task {0} was replaced by {1}.', (stopped ?? '').slice(0, 8), replacement.map((r) => r.id.slice(0, 8)).join(', ')), !!stopped);
    },
  },

  release: {
    id: 'release',
    requires: ['create-service'],
    visual: 'deployment',
    inputs: [input.cluster(), input.service(), input.family(), input.image('uzresk/demo:ver2.0')],
    actions: [
      registerRevisionAction((i) => ({ image: str(i.image) })),
      commandAction('ecsHandson.service.update', {
        id: 'update',
        label: 'Update the service',
        parts: ['taskDefinitions', 'services', 'tasks'],
        args: (i, s) => updateArgs(i, s),
        record: (i, s) => baseline(i, s),
      }),
      stopOneTaskAction(true, 'Stop an old task'),
    ],
    parts: ['services', 'tasks', 'taskDefinitions', 'containerInstances'],
    check: (s, ctx) => {
      const image = str(ctx.inputs.image);
      const { items, waiting } = rolloutItems(s, ctx, (fr) => imageOf(s, fr) === image, image);
      return result(items, ctx.t, ctx.t('The service runs {0}.', image), waiting);
    },
  },

  'bluegreen-port-conflict': {
    id: 'bluegreen-port-conflict',
    requires: ['release'],
    visual: 'deployment',
    inputs: [
      input.cluster(),
      input.service(),
      input.family(),
      input.image('uzresk/demo:ver1.0'),
      { key: 'maximumPercent', label: 'Maximum percent', kind: 'number', default: 200, min: 100, max: 400 },
    ],
    actions: [
      registerRevisionAction((i) => ({ image: str(i.image), hostPort: 80 })),
      commandAction('ecsHandson.service.update', {
        id: 'update',
        label: 'Update with maximumPercent',
        parts: ['taskDefinitions', 'services', 'tasks'],
        args: (i, s) => updateArgs(i, s, { maximumPercent: num(i.maximumPercent, 200), minimumHealthyPercent: 100 }),
        record: (i, s) => baseline(i, s),
      }),
    ],
    parts: ['services', 'tasks', 'taskDefinitions', 'containerInstances'],
    check: (s, { inputs, record, t }) => {
      const svc = findService(s, str(inputs.cluster), str(inputs.service));
      // Only events newer than the newest one when the update ran (ECS repeats the message).
      const event = record.ranAt === undefined ? undefined : svc?.events.find((e) => e.message.includes(PORT_CONFLICT_TEXT) && e.createdAt > (record.lastEventAt ?? 0));
      const items = [
        { label: t('service updated with maximumPercent {0}', num(inputs.maximumPercent, 200)), ok: !!svc && svc.maximumPercent === num(inputs.maximumPercent, 200) && record.ranAt !== undefined },
        { label: t('the port-conflict event appeared'), ok: !!event },
      ];
      return result(items, t, t('ECS said: {0}', event?.message ?? ''), !!svc && record.ranAt !== undefined);
    },
  },

  'bluegreen-four-instances': {
    id: 'bluegreen-four-instances',
    requires: ['bluegreen-port-conflict'],
    visual: 'deployment',
    inputs: [
      input.cluster(),
      input.service(),
      input.family(),
      { key: 'instances', label: 'Number of instances', kind: 'number', default: 4, min: 1, max: 20 },
      input.image('uzresk/demo:ver2.0'),
    ],
    actions: [
      commandAction('ecsHandson.autoScaling.configureCluster', {
        id: 'scaleInstances',
        label: 'Run 4 instances',
        args: (i) => ({ cluster: str(i.cluster), minSize: num(i.instances, 4), maxSize: Math.max(4, num(i.instances, 4)) }),
        secondary: true,
      }),
      registerRevisionAction((i) => ({ image: str(i.image), hostPort: 80 })),
      commandAction('ecsHandson.service.update', {
        id: 'update',
        label: 'Update with maximumPercent',
        parts: ['taskDefinitions', 'services', 'tasks'],
        args: (i, s) => updateArgs(i, s, { maximumPercent: 200, minimumHealthyPercent: 100 }),
        record: (i, s) => baseline(i, s),
      }),
    ],
    parts: ['services', 'tasks', 'taskDefinitions', 'containerInstances'],
    check: (s, ctx) => {
      const { inputs, record, t } = ctx;
      const cluster = str(inputs.cluster);
      const cis = activeInstances(s, cluster);
      const image = str(inputs.image);
      const r = rolloutItems(s, ctx, (fr) => imageOf(s, fr) === image, image);
      const items = [
        { label: t('{0} container instances ({1} now)', num(inputs.instances, 4), cis.length), ok: cis.length >= num(inputs.instances, 4) },
        { label: t('4 tasks ran at once (most seen: {0})', record.maxRunning ?? 0), ok: (record.maxRunning ?? 0) >= 4 },
        ...r.items,
      ];
      return result(items, t, t('Blue/Green done: only {0} is left.', image), r.waiting || record.ranAt !== undefined);
    },
  },

  'bluegreen-dynamic-ports': {
    id: 'bluegreen-dynamic-ports',
    requires: ['bluegreen-four-instances'],
    visual: 'deployment',
    inputs: [
      input.cluster(),
      input.service(),
      input.family(),
      input.image('uzresk/demo:ver1.0'),
      { key: 'instances', label: 'Number of instances', kind: 'number', default: 2, min: 1, max: 20 },
    ],
    actions: [
      commandAction('ecsHandson.autoScaling.configureCluster', {
        id: 'scaleInstances',
        label: 'Back to 2 instances',
// The group's desired capacity goes back down too: lowering only the minimum would leave 4
        // instances running until the cluster's scale-in alarm fires (section 6 then starts from 4).
        args: (i) => ({ cluster: str(i.cluster), minSize: num(i.instances, 2), desiredCapacity: num(i.instances, 2), maxSize: 4 }),
        secondary: true,
      }),
      registerRevisionAction((i) => ({ image: str(i.image), hostPort: null }), 'Register with a dynamic host port'),
      commandAction('ecsHandson.service.update', {
        id: 'update',
        label: 'Update with maximumPercent',
        parts: ['taskDefinitions', 'services', 'tasks'],
        args: (i, s) => updateArgs(i, s, { maximumPercent: 200, minimumHealthyPercent: 100 }),
        record: (i, s) => baseline(i, s),
      }),
    ],
    parts: ['services', 'tasks', 'taskDefinitions', 'containerInstances'],
    check: (s, ctx) => {
      const { inputs, record, t } = ctx;
      const cluster = str(inputs.cluster);
      const cis = activeInstances(s, cluster);
      const r = rolloutItems(s, ctx, (fr) => taskDef(s, fr)?.hostPort === null || taskDef(s, fr)?.hostPort === 0, t('a dynamic host port'));
      const items = [
        { label: t('{0} container instances ({1} now)', num(inputs.instances, 2), cis.length), ok: cis.length === num(inputs.instances, 2) },
        { label: t('4 tasks ran at once (most seen: {0})', record.maxRunning ?? 0), ok: (record.maxRunning ?? 0) >= 4 },
        ...r.items,
      ];
      return result(items, t, t('The service runs with dynamic host ports.'), r.waiting || record.ranAt !== undefined);
    },
  },

  'autoscaling-service': {
    id: 'autoscaling-service',
    requires: ['create-service'],
    visual: 'none',
    inputs: [
      input.cluster(),
      input.service(),
      { key: 'minCapacity', label: 'Minimum tasks', kind: 'number', default: 2, min: 0, max: 100 },
      { key: 'maxCapacity', label: 'Maximum tasks', kind: 'number', default: 4, min: 1, max: 100 },
      { key: 'cpuThreshold', label: 'CPU threshold (%)', kind: 'number', default: 20, min: 1, max: 100 },
      { key: 'scaleOutAdjustment', label: 'Tasks to add', kind: 'number', default: 2, min: 1, max: 10 },
    ],
    actions: [
      commandAction('ecsHandson.autoScaling.configureService', {
        id: 'configure',
        label: 'Configure service auto scaling',
        args: (i) => ({
          cluster: str(i.cluster),
          service: str(i.service),
          minCapacity: num(i.minCapacity, 2),
          maxCapacity: num(i.maxCapacity, 4),
          mode: 'step',
          cpuThreshold: num(i.cpuThreshold, 20),
          scaleOutAdjustment: num(i.scaleOutAdjustment, 2),
          scaleInAdjustment: -num(i.scaleOutAdjustment, 2),
        }),
      }),
    ],
    parts: ['serviceScaling', 'alarms'],
    check: (s, { inputs, t }) => {
      const resourceId = `service/${str(inputs.cluster)}/${str(inputs.service)}`;
      const target = s.scalableTargets.find((x) => x.resourceId === resourceId);
      const alarms = s.alarms.filter((a) => a.dimensions.ServiceName === str(inputs.service) && a.metricName === 'CPUUtilization');
      const items = [
        { label: t('scalable target {0} with maximum {1}', resourceId, num(inputs.maxCapacity, 4)), ok: !!target && target.max === num(inputs.maxCapacity, 4) && target.min === num(inputs.minCapacity, 2) },
        { label: t('a scale-out and a scale-in policy'), ok: !!target && target.policies.length >= 2 },
        { label: t('a CPU alarm at {0}%', num(inputs.cpuThreshold, 20)), ok: alarms.some((a) => a.threshold === num(inputs.cpuThreshold, 20)) },
      ];
      return result(items, t, t('{0} scales between {1} and {2} tasks.', str(inputs.service), target?.min ?? '?', target?.max ?? '?'));
    },
  },

  'autoscaling-cluster': {
    id: 'autoscaling-cluster',
    requires: ['create-cluster'],
    visual: 'none',
    inputs: [
      input.cluster(),
      { key: 'minSize', label: 'Minimum instances', kind: 'number', default: 2, min: 0, max: 20 },
      { key: 'maxSize', label: 'Maximum instances', kind: 'number', default: 4, min: 1, max: 20 },
      { key: 'cpuThreshold', label: 'CPU threshold (%)', kind: 'number', default: 20, min: 1, max: 100 },
      { key: 'scaleOutAdjustment', label: 'Instances to add', kind: 'number', default: 2, min: 1, max: 10 },
    ],
    actions: [
      commandAction('ecsHandson.autoScaling.configureCluster', {
        id: 'configure',
        label: 'Configure cluster auto scaling',
        args: (i) => ({
          cluster: str(i.cluster),
          minSize: num(i.minSize, 2),
          maxSize: num(i.maxSize, 4),
          cpuThreshold: num(i.cpuThreshold, 20),
          scaleOutAdjustment: num(i.scaleOutAdjustment, 2),
          scaleInAdjustment: -num(i.scaleOutAdjustment, 2),
        }),
      }),
    ],
    parts: ['autoScalingGroups', 'alarms'],
    check: (s, { inputs, t }) => {
      const cluster = str(inputs.cluster);
      const asg = s.autoScalingGroups.find((g) => g.name === `${cluster}-asg`) ?? s.autoScalingGroups.find((g) => g.name.includes(cluster));
      const alarms = s.alarms.filter((a) => a.dimensions.ClusterName === cluster && !a.dimensions.ServiceName && a.metricName === 'CPUUtilization');
      const items = [
        { label: t('Auto Scaling group with maximum {0}', num(inputs.maxSize, 4)), ok: !!asg && asg.max === num(inputs.maxSize, 4) },
        { label: t('a scale-out and a scale-in policy'), ok: !!asg && asg.policies.length >= 2 },
        { label: t('a cluster CPU alarm at {0}%', num(inputs.cpuThreshold, 20)), ok: alarms.some((a) => a.threshold === num(inputs.cpuThreshold, 20)) },
      ];
      return result(items, t, t('{0} scales between {1} and {2} instances.', asg?.name ?? cluster, asg?.min ?? '?', asg?.max ?? '?'));
    },
  },

  'autoscaling-run': {
    id: 'autoscaling-run',
    requires: ['autoscaling-service', 'autoscaling-cluster'],
    visual: 'chart',
    inputs: [
      input.cluster(),
      input.service(),
      input.lb(),
      { key: 'amount', label: 'Requests (ab -n)', kind: 'number', default: 100000, min: 100, max: 10000000 },
      { key: 'connections', label: 'Concurrency (ab -c)', kind: 'number', default: 100, min: 1, max: 1000 },
    ],
    actions: [
      { id: 'loadStart', label: 'Start the load', kind: 'loadStart', parts: ['loadBalancers'] },
      { id: 'loadStop', label: 'Stop the load', kind: 'loadStop', secondary: true },
      showServiceLogsAction(),
    ],
    parts: ['services', 'tasks', 'autoScalingGroups', 'alarms', 'containerInstances'],
    check: (s, { inputs, record, t }) => {
      const svc = findService(s, str(inputs.cluster), str(inputs.service));
      const items = [
        { label: t('the CPU alarm went to ALARM'), ok: !!record.sawAlarm },
        { label: t('the service scaled out to 4 tasks (most seen: {0})', record.maxDesired ?? 0), ok: (record.maxDesired ?? 0) >= 4 },
        { label: t('the instances scaled out to 4 (most seen: {0})', record.maxInstances ?? 0), ok: (record.maxInstances ?? 0) >= 4 },
        // Back to 2 RUNNING, not just a desired count of 2: when the group terminates the instances
        // that still hold tasks (instances scaled in together with the tasks — the article's lesson),
        // the service runs fewer tasks until ECS has replaced them.
        {
          label: t('back to 2 tasks after the load (now {0})', svc?.desiredCount ?? '?'),
          ok: !!record.scaledInAfterPeak && !!svc && svc.desiredCount >= 1 && svc.desiredCount <= 2 && svc.runningCount === svc.desiredCount,
        },
      ];
      return result(items, t, t('Scaled out and back in.'), record.ranAt !== undefined);
    },
  },

  cleanup: {
    id: 'cleanup',
    requires: [],
    visual: 'none',
    inputs: [input.cluster(), input.service(), input.lb()],
    actions: [commandAction('ecsHandson.cleanup', { id: 'cleanup', label: 'Clean up', args: () => ({}) })],
    parts: ['clusters', 'services', 'loadBalancers'],
    check: (s, { inputs, t }) => {
      const items = [
        { label: t('service {0} is gone', str(inputs.service)), ok: !s.services.some((x) => x.name === str(inputs.service) && x.status === 'ACTIVE') },
        { label: t('load balancer {0} is gone', str(inputs.loadBalancer)), ok: !s.loadBalancers.some((x) => x.name === str(inputs.loadBalancer)) },
        { label: t('cluster {0} is gone', str(inputs.cluster)), ok: !findCluster(s, str(inputs.cluster)) },
      ];
      return result(items, t, t('Everything the hands-on created is gone.'));
    },
  },
};

/** Updates an autoscaling-run / blue-green record from a new snapshot (what has been seen so far). */
export function observe(step: StepId, record: StepRecord, s: Snapshot, inputs: InputValues): StepRecord {
  if (record.ranAt === undefined) return record;
  const cluster = str(inputs.cluster, 'demo-cluster');
  const service = str(inputs.service, 'demo-service');
  const next = { ...record };
  if (s.parts.includes('tasks')) {
    // A task being drained (DEACTIVATING: deregistered, waiting out the deregistration delay) still
    // runs; during Blue/Green the old tasks are in that state while the new ones are RUNNING.
    const running = serviceTasks(s, cluster, service).length + serviceTasks(s, cluster, service, 'DEACTIVATING').length;
    next.maxRunning = Math.max(record.maxRunning ?? 0, running);
  }
  if (step === 'autoscaling-run') {
    const svc = findService(s, cluster, service);
    const alarmUp = s.alarms.some((a) => a.state === 'ALARM' && a.metricName === 'CPUUtilization' && (a.comparison ?? '').startsWith('GreaterThan') && (a.dimensions.ClusterName === cluster));
    if (alarmUp) next.sawAlarm = true;
    if (svc) next.maxDesired = Math.max(record.maxDesired ?? 0, svc.desiredCount);
    const instances = activeInstances(s, cluster).length;
    next.maxInstances = Math.max(record.maxInstances ?? 0, instances);
    if ((next.maxDesired ?? 0) >= 4 && svc && svc.desiredCount <= 2) next.scaledInAfterPeak = true;
  }
  return next;
}

// ---------------------------------------------------------------------------------------------
// inputs
