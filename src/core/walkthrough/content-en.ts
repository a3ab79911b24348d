/**
 * The walkthrough's texts in English (markdown), one entry per step of step-ids.ts. The Japanese
 * texts are in content-ja.ts; both are written for the hands-on, not translated line by line.
 *
 * ## Placeholders
 * The texts use these placeholders; the panel replaces them with the values in the step's inputs
 * (`fillPlaceholders` below; any placeholder it has no value for falls back to the article's value):
 *
 * | placeholder      | meaning                                   | article's value            |
 * |------------------|-------------------------------------------|----------------------------|
 * | `{cluster}`      | the cluster's name                        | `demo-cluster`             |
 * | `{family}`       | the task definition family                | `demo-app-task`            |
 * | `{service}`      | the service's name                        | `demo-service`             |
 * | `{loadBalancer}` | the Application Load Balancer's name      | `app-demo-lb`              |
 * | `{targetGroup}`  | the load balancer's target group          | `app-demo-lb-tg`           |
 * | `{endpoint}`     | the load balancer's URL (no trailing `/`) | `http://<ALB DNS name>`    |
 *
 * Both languages use the same placeholders in the same fields (test/unit/walkthrough/content.test.ts).
 *
 * ## Context keys (for the native Welcome-page walkthrough in package.json)
 * When a step's live check holds, the panel sets `ecsHandson.walkthrough.done.<stepId>` to `true`
 * with `setContext`; package.json's "contributes.walkthroughs" completes its steps on these keys
 * (`onContext:…`). The exact keys used there:
 *
 * - `ecsHandson.walkthrough.done.create-cluster`
 * - `ecsHandson.walkthrough.done.task-definition`
 * - `ecsHandson.walkthrough.done.load-balancer`
 * - `ecsHandson.walkthrough.done.create-service`
 * - `ecsHandson.walkthrough.done.kill-container`
 * - `ecsHandson.walkthrough.done.release`
 * - `ecsHandson.walkthrough.done.bluegreen-dynamic-ports` (the Blue/Green step, sections 4 and 5)
 * - `ecsHandson.walkthrough.done.autoscaling-run` (the autoscaling step, section 6)
 * - `ecsHandson.walkthrough.done.cleanup`
 *
 * (Hyphens are valid in context-key names: VS Code's when-clause scanner accepts `-` in keys.)
 * The native steps also complete on `onCommand:` of the matching create command, and the first one
 * on `onCommand:ecsHandson.walkthrough.open` / `onView:ecsHandson.explorer`.
 */
import type { StepContent } from './content-types';
import type { StepId } from './step-ids';

/** The placeholders the texts may use, with the article's values as fallbacks. */
export const CONTENT_PLACEHOLDERS = {
  cluster: 'demo-cluster',
  family: 'demo-app-task',
  service: 'demo-service',
  loadBalancer: 'app-demo-lb',
  targetGroup: 'app-demo-lb-tg',
  endpoint: 'http://<ALB DNS name>',
} as const;

export type ContentPlaceholder = keyof typeof CONTENT_PLACEHOLDERS;

/**
 * Replaces `{name}` placeholders with `values` — the step's inputs can be passed as they are
 * (keys `cluster`, `family`, `service`, `loadBalancer`), plus `endpoint` once the load balancer
 * exists. Missing or empty values fall back to the article's; `{targetGroup}` defaults to
 * `<loadBalancer>-tg` (the name the load-balancer command gives it). Unknown `{…}` stay as they are.
 */
export function fillPlaceholders(text: string, values: Partial<Record<ContentPlaceholder, unknown>> = {}): string {
  const given = (k: ContentPlaceholder): string | undefined => {
    const v = values[k];
    const s = typeof v === 'string' || typeof v === 'number' ? String(v).trim() : '';
    return s === '' ? undefined : s;
  };
  const value = (k: ContentPlaceholder): string => {
    const v = given(k);
    if (v !== undefined) return k === 'endpoint' ? v.replace(/\/+$/, '') : v;
    if (k === 'targetGroup' && given('loadBalancer')) return `${given('loadBalancer')}-tg`;
    return CONTENT_PLACEHOLDERS[k];
  };
  return text.replace(/\{([A-Za-z]+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(CONTENT_PLACEHOLDERS, name) ? value(name as ContentPlaceholder) : whole);
}

export const contentEn: Record<StepId, StepContent> = {
  'prepare-image': {
    title: 'The demo image',
    summary: 'One small web app, two tags: `uzresk/demo:ver1.0` and `ver2.0`.',
    what: [
      'The whole hands-on runs one container image, **uzresk/demo**. It is a small web app that listens on **port 8080** and serves a page under `/app/`.',
      'The article tries it on a plain Docker host first:',
      '```sh\ndocker run -itd -p 80:8080 --name demo uzresk/demo:ver1.0\n```',
      '`-p 80:8080` publishes container port 8080 on host port 80 — the same mapping you will put in the task definition. `ver1.0` is what you deploy first; `ver2.0` is the release you roll out later.',
      'In the sandbox both tags are built in. Every task serves real HTTP: `/app/` shows the version and which task and instance answered, and `/app/loginForm` does a little real CPU work per request — that is the page the load test hits.',
    ].join('\n\n'),
    why: 'Everything ECS does in this hands-on — placing tasks, mapping ports, checking health, rolling out versions — happens around this one container. Knowing what it listens on and what a good answer looks like makes every later step easy to read.',
    insights: [
      'The app listens on **8080 inside the container**; the outside world reaches it on the **host port** it is mapped to (80 here). Keep the two apart: the host port is what collides in the Blue/Green step, and what dynamic port mapping frees.',
      'A release needs nothing more than a new tag. A new task definition **revision** points at `ver2.0`, and the service rolls it out.',
      'If ECS cannot pull an image, the task stops with `CannotPullContainerError`. The sandbox does the same for any image other than the two demo tags, so a typo shows up the way it would on AWS.',
    ],
    observe: [
      'The **ECS Explorer** in the ECS Hands-on activity bar, and the status bar item **ECS: Sandbox**: where you are connected — the built-in sandbox unless you switched to an AWS profile.',
      'Later, right-click a running task → **Open Task Page** to see this page: version, task id and instance.',
    ],
    actionLabel: 'Got it — continue',
    checkLabel: 'You have read about the image and marked the step done',
    successText: 'Noted. `uzresk/demo:ver1.0` and `uzresk/demo:ver2.0` are the images you will deploy.',
  },

  'construction-order': {
    title: 'The order of construction',
    summary: 'Cluster → task definition → load balancer → service. Each one needs the one before.',
    what: [
      'Before you build anything, fix the order in your head — the article says it is worth remembering:',
      '1. **Cluster** (`{cluster}`) — the EC2 instances that run your containers: instance type, number of instances, VPC, subnets.\n2. **Task definition** (`{family}`) — what to run: image, CPU, hard and soft memory limits, environment variables, port mappings.\n3. **Load balancer** (`{loadBalancer}`) — the entry point in front of the cluster.\n4. **Service** (`{service}`) — ties the task definition to the cluster and the load balancer, and keeps the right number of tasks running.',
      'The walkthrough follows this order: a step becomes available when what it needs exists.',
    ].join('\n\n'),
    why: 'The service is where everything meets: it names a cluster, a task definition and a target group of the load balancer. Build them in order and each step only asks for things that already exist.',
    insights: [
      'A **task definition** is only a description. Nothing runs until a service (or RunTask) places it on a cluster\'s instances.',
      'The load balancer sits **above** the cluster. When tasks come and go — a crash, a deploy, a scale-out — the service registers the new ones in the target group, so users never need to know which instance serves them.',
      'The **service** is also where the minimum number of tasks and auto scaling live. One cluster can run many services.',
    ],
    observe: [
      'The diagram: the cluster holds two EC2 instances in two Availability Zones, the tasks run on the instances, and the ALB sits in front.',
      'The explorer\'s top level: your clusters, **Task definitions** and **Load balancers** — the same pieces, filled in as you go.',
    ],
    actionLabel: 'Got it — build in this order',
    checkLabel: 'You have read the order and marked the step done',
    successText: 'Good. Next: the cluster, the first box in the diagram.',
  },

  'create-cluster': {
    title: 'Create the cluster',
    summary: '`{cluster}` with 2 EC2 instances, one in each of two Availability Zones.',
    what: [
      'Create the cluster **`{cluster}`** with its EC2 capacity: an instance type, **2 instances**, the VPC, and **one subnet in each of two Availability Zones**. The instances come from an Auto Scaling group of 2 and register with the cluster as **container instances** (the ECS agent on each one reads `ECS_CLUSTER={cluster}`).',
      'Decide now about **Container Insights**.',
    ].join('\n\n'),
    why: 'The cluster is the pool of capacity every task is placed on. Two instances in two AZs means the service can later put one task in each zone, so losing one zone does not take the app down.',
    insights: [
      '**Container Insights can only be chosen here, at creation** — the article points out it cannot be added afterwards, so tick it now if you want it. (On AWS today it can also be switched on later with UpdateClusterSettings; this hands-on sets it only at creation.)',
      'Each container instance advertises its **registered** and **remaining** CPU and memory, and the host ports already in use. ECS places a task only where all three fit — keep an eye on the ports.',
      'The instances are ordinary EC2 instances in an Auto Scaling group. That group is what you scale in the autoscaling step, separately from the tasks.',
      'The ECS agent calls ECS with the instance\'s **IAM instance profile `ecsInstanceRole`** (a role EC2 may assume, with the managed policy AmazonEC2ContainerServiceforEC2Role). A new AWS account does not have it — the article\'s 2017 console created it for you — and EC2 refuses to launch with a profile that does not exist. Creating the cluster checks it first and creates it when it is missing (on AWS it asks before changing IAM), together with ECS\'s service-linked role.',
    ],
    observe: [
      'Explorer: **{cluster}** → **Container instances**: two instances, one per AZ, each with its free CPU / memory and used ports (none yet).',
      'The cluster\'s tooltip: status ACTIVE, 0 services, 0 running tasks, Container Insights enabled or disabled.',
    ],
    actionLabel: 'Create the cluster',
    checkLabel: '`{cluster}` is ACTIVE with 2 container instances in 2 AZs',
    successText: '`{cluster}` is up: 2 container instances, one in each AZ.',
  },

  'task-definition': {
    title: 'Register the task definition',
    summary: '`{family}:1` runs `uzresk/demo:ver1.0`, container port 8080 → host port 80.',
    what: [
      'Register the task definition **`{family}`** with one container:',
      '- image **`uzresk/demo:ver1.0`**\n- CPU units, a **hard** memory limit (`memory`) and a **soft** limit (`memoryReservation`)\n- environment variables, if the app needs any\n- port mapping **container 8080 → host 80**\n- log collection to **CloudWatch Logs**, group `/ecs/{family}` (the console\'s default)',
      'The first registration becomes revision **`{family}:1`**.',
    ].join('\n\n'),
    why: 'This is the blueprint the service will copy for every task it starts. Everything that changes later — the image tag for a release, the host port for dynamic mapping — changes by registering a **new revision**, never by editing this one.',
    insights: [
      'The **hard limit** (`memory`) is a ceiling: a container that goes over it is killed. The **soft limit** (`memoryReservation`) is what ECS reserves on the instance when placing the task; the container may use more while the instance has room.',
      'A fixed **host port 80** means **one task of this definition per instance**: the port is taken as long as the task holds it. With two instances you can run two tasks — not one more. This is exactly what blocks the release and Blue/Green steps later.',
      'Revisions are immutable and numbered. `{family}:1`, `:2`, `:3`… is the history of what you deployed, and rolling back is just deploying an older one.',
      'The container\'s output goes to CloudWatch Logs through the **`awslogs`** driver, as the console sets it up: group `/ecs/{family}`, one stream per task (`ecs/<container>/<task id>`). The extension creates the group now: on AWS the instance role (and the task execution role) may write logs but **not create the group** (`logs:CreateLogGroup`), and a task whose group is missing fails to start. Right-click a task or the service → **Show Logs**.',
    ],
    observe: [
      'Explorer: **Task definitions** → **{family}** → **{family}:1**, with its image, CPU, memory (hard / soft) and ports `8080→80`.',
      'Right-click the revision → **Inspect** to see the JSON ECS stored.',
    ],
    actionLabel: 'Register the task definition',
    checkLabel: '`{family}:1` is ACTIVE with `uzresk/demo:ver1.0` and 8080 → 80',
    successText: '`{family}:1` is registered. Nothing runs yet — that is the service\'s job.',
  },

  'load-balancer': {
    title: 'Create the load balancer',
    summary: 'ALB `{loadBalancer}` in two AZs, HTTP 80 open, target group with the cluster\'s instances.',
    what: [
      'Create an **Application Load Balancer** named **`{loadBalancer}`**:',
      '- one subnet in **each of the two AZs** the cluster uses\n- a **security group that allows 80/HTTP**\n- a **target group** `{targetGroup}` of **instance** targets on port 80, with the two instances of `{cluster}` registered (the article registers each instance ID by hand)\n- a **listener on port 80** forwarding to it',
    ].join('\n\n'),
    why: 'Users need one stable address while tasks come and go. The ALB is that address; the target group is the list of places it may send requests to, and its health check decides which of them are fit to receive traffic.',
    insights: [
      'The **target group\'s health check** is what takes a broken target out of rotation. Its interval and thresholds decide how fast that happens — you will tune them in the "kill a container" step.',
      'Registering instances on port 80 by hand works only because every task uses host port 80. With dynamic ports (later) you leave the target group empty and **ECS registers each task itself**, as instance + port.',
      'In the sandbox the ALB is real: a local HTTP proxy with real health checks, reachable at a name of its own such as `http://app-demo-lb-….elb.localhost:<port>` (any `*.localhost` name is this machine) instead of an AWS DNS name. The walkthrough names the real address once the load balancer exists.',
    ],
    observe: [
      'Explorer: **Load balancers** → **{loadBalancer}** → listener **HTTP:80** → target group **{targetGroup}** → **targets**. No task runs yet, so the targets are not healthy.',
      'The load balancer\'s inline button **Open Endpoint in Browser** — for now it has nothing healthy to show.',
    ],
    actionLabel: 'Create the load balancer',
    checkLabel: '`{loadBalancer}` is active with a listener on port 80 and its target group',
    successText: '`{loadBalancer}` is listening at `{endpoint}`. Now give it something to serve.',
  },

  'create-service': {
    title: 'Create the service',
    summary: '`{service}` keeps 2 tasks of `{family}` running behind `{loadBalancer}`.',
    what: [
      'Create the service **`{service}`** on `{cluster}` with the task definition `{family}` and **2 tasks** — one per AZ. Under load balancing choose **`{loadBalancer}`**, listener port **80** and the target group **`{targetGroup}`** (container `8080`).',
      'Then open **`{endpoint}/app/`** and reload a few times.',
    ].join('\n\n'),
    why: 'This is the step where something actually runs. From now on the service is in charge: it keeps 2 tasks alive, spreads them over the AZs, registers them with the load balancer, and replaces any that die.',
    insights: [
      'Tasks go **PENDING → RUNNING**. PENDING covers pulling the image and starting the container; the service counts a task as healthy only once its **target passes the ALB health check**.',
      'With no placement strategy given, ECS **spreads** tasks over AZs, then instances — so the two tasks land one per instance.',
      'Reload `/app/` a few times: the **task id changes** as the ALB alternates between the two tasks.',
    ],
    observe: [
      'Explorer: **{cluster}** → **{service}** → **Tasks**: two tasks, first PENDING, then RUNNING.',
      '**{service}** → **Events**: "has started 2 tasks", "registered 2 targets", then "has reached a steady state".',
      'The **status bar** shows the service\'s first rollout until it completes.',
    ],
    actionLabel: 'Create the service',
    checkLabel: '`{service}` has 2 RUNNING tasks behind `{loadBalancer}`',
    successText: '`{service}` is serving: 2 RUNNING tasks, both healthy behind `{loadBalancer}`. Open `{endpoint}/app/` to see them answer in turn.',
  },

  'kill-container': {
    title: 'Kill a container',
    summary: 'Stop one task and watch the service replace it — and the 502s while it does.',
    what: [
      'Keep an eye on the **request probe** below: it sends requests to `{endpoint}/app/` and plots each status code over time.',
      'Then **stop one of the two tasks**. Within tens of seconds the service starts a new task — with a **different task ID**.',
      'Afterwards, switch the target group to **shorter health-check settings** and kill a task again to compare.',
    ].join('\n\n'),
    why: 'Self-healing is the first thing a service gives you, but it is not instantaneous. How long users see errors depends on how quickly the load balancer notices a dead target — a setting you control.',
    insights: [
      'For a while the probe shows **502 Bad Gateway**. The article expected the ALB to route around the dead task at once; it does not. **The ALB keeps sending requests to a target until its health checks take it out**, and connections to the dead task fail with 502.',
      'How long that takes is roughly **unhealthy threshold × interval**: with the defaults (2 × 30 s) up to a minute. The **fast** preset (every 5 s, 2 failures) cuts it to about 10 s — **shorter thresholds, shorter 502 window**.',
      'Beyond that, the article\'s conclusion: a **lighter container and an app that starts quickly** are what shorten the rest — the replacement has to start and pass its healthy checks before capacity is back.',
      'Because the task uses host port 80, its replacement can only go where port 80 is free — back onto the **same instance**.',
      'On AWS today, a task you stop by hand usually goes through DEACTIVATING first (deregistered, then drained), so you may see fewer 502s there; a container that crashes behaves as shown here. The sandbox\'s clock runs 10× faster, so a minute of AWS time passes in about 6 seconds.',
    ],
    observe: [
      'The **request probe**: a run of red 502s right after the stop, then green 200s again. Compare the width of the red band before and after the fast health check.',
      'Explorer: **{service}** → **Tasks**: one task disappears, a new ID appears (PENDING → RUNNING); **Stopped tasks** shows the old one with "Task stopped by user".',
      '**{targetGroup}** → targets: the dead target goes **unhealthy**, the new one **initial** then **healthy**.',
      '**Show the service\'s logs** (below this panel): the stopped task\'s last lines — `Received SIGTERM: shutting down` when it is stopped, nothing when it crashes — then the new task\'s `Starting DemoApplication` and `Started DemoApplication … in N seconds`, each line prefixed with its task ID. The time between the two is part of the 502 window.',
    ],
    actionLabel: 'Stop one task',
    checkLabel: 'A replacement task with a new ID is RUNNING and `{service}` is back to 2',
    successText: 'The service healed itself: 2 RUNNING tasks again, one with a new ID. Note how long the 502s lasted.',
  },

  'release': {
    title: 'Release a new version',
    summary: 'Register `ver2.0` as a new revision and update `{service}` — then see why it stalls.',
    what: [
      'Two moves, as in the article:',
      '1. **Register a new revision** of `{family}` with the image **`uzresk/demo:ver2.0`** — it becomes `{family}:2`.\n2. **Update `{service}`** to that revision.',
      'Then watch the deployments. When the rollout stalls, **stop one of the old tasks** and watch it move on.',
    ].join('\n\n'),
    why: 'A release on ECS is always the same two moves: **new revision, update the service**. What happens next is decided by the deployment configuration and by whether the new tasks have room — here they do not.',
    insights: [
      'The service now has two **deployments**: **PRIMARY** (the new revision) and **ACTIVE** (the old one, still running 2 tasks). Each shows its desired, pending and running counts.',
      'With the defaults (**minimumHealthyPercent 100**) ECS must keep both old tasks until new ones are healthy, so it tries to start new tasks first. But both instances already use **host port 80**: there is nowhere to put them, and the service events say so. **The rollout is stuck.**',
      'Stopping an old task frees port 80 on its instance. A `ver2.0` task takes the spot, passes its health check, and ECS can then retire the other old task the same way.',
      'This is what the Blue/Green steps fix: room for the new version **alongside** the old one.',
    ],
    observe: [
      'The **status bar**: the rollout of `{service}` to `{family}:2` — in progress, then **stuck**, and after you stop a task, moving again until **completed**.',
      'Explorer: **{service}** → **Deployments**: PRIMARY `{family}:2` and ACTIVE `{family}:1` with their counts; **Events**: "unable to place a task … is already using a port required by your task".',
      'Reload `{endpoint}/app/`: `ver1.0` and `ver2.0` answer side by side while the rollout is half done.',
    ],
    actionLabel: 'Update the service',
    checkLabel: '`{service}` runs only the new revision, 2 tasks, rollout completed',
    successText: 'Released: `{service}` runs 2 tasks of the new revision and the rollout is completed.',
  },

  'bluegreen-port-conflict': {
    title: 'Blue/Green: set maximumPercent to 200',
    summary: 'Allow 4 tasks at once — and see why 2 instances with host port 80 cannot hold them.',
    what: [
      'Blue/Green means starting the new version **next to** the old one, then switching. The setting for that is the service\'s **maximumPercent**.',
      'Still on **2 instances** with host port 80: register a revision that goes back to **`ver1.0`** (host port 80 as before), then update `{service}` to it with **maximumPercent 200** (minimumHealthyPercent 100).',
    ].join('\n\n'),
    why: 'maximumPercent is the upper bound of tasks during a deployment. Setting it to 200 gives ECS permission to run old and new side by side — but permission is not capacity.',
    insights: [
      '**maximumPercent 200 with 2 desired tasks allows 4 tasks at the same time**: 2 old (blue) and 2 new (green).',
      'With a static host port, each instance can hold one task. Two instances are full, so the extra tasks cannot be placed and the service event reads: *"(service {service}) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance …) **is already using a port required by your task**."* — in the article\'s words, "the port is taken, so it will not start".',
      'So **static host ports limit Blue/Green to one task per instance**: you need as many instances as tasks at the peak (4), or ports that do not collide.',
      'Today 200 is already ECS\'s default maximumPercent. That is why the release step tried to start the new tasks next to the old ones and hit the same wall.',
    ],
    observe: [
      'Explorer: **{service}** → **Events**: the "already using a port required by your task" message, repeated while ECS retries.',
      '**{cluster}** → **Container instances**: both list port **80** as used.',
      'The deployment view: PRIMARY desired 2, running 0, pending 0 — the new tasks have nowhere to go.',
    ],
    actionLabel: 'Update with maximumPercent 200',
    checkLabel: 'The service events show the port conflict',
    successText: 'There it is: ECS wants 4 tasks, 2 instances with port 80 can hold only 2. Next, give it room.',
  },

  'bluegreen-four-instances': {
    title: 'Blue/Green on 4 instances',
    summary: 'With 4 instances, old and new run side by side; the old ones drain and go.',
    what: [
      '1. **Run 4 instances** in `{cluster}` — the article adds them beforehand; auto scaling would do too. As soon as they register, the deployment stuck in the previous step can place its tasks and goes through.\n2. **Register `ver2.0`** again (host port 80) and **deploy it with maximumPercent 200**, this time watching from the start.',
      'You will see **4 tasks run at once**, and then the old ones leave on their own.',
    ].join('\n\n'),
    why: 'This is Blue/Green with ECS\'s rolling deployment: the new tasks start on free instances, pass their health checks, and only then does ECS take the old ones out. Users are never without a healthy task.',
    insights: [
      'With free instances the new tasks start right away: **2 old + 2 new = 4 tasks**, exactly what maximumPercent 200 allows.',
      'The old tasks do not stop at once. The article saw them go **after about 3 minutes**: ECS first **deregisters** their targets, the ALB lets in-flight requests finish (**draining**), and only after the target group\'s **deregistration delay** (300 s by default) does ECS stop the task.',
      'In the sandbox the clock runs 10× faster, so the 5-minute deregistration delay passes in about half a minute.',
      'At the end only the new revision remains — "automatic, automatic. Convenient!", as the article puts it.',
    ],
    observe: [
      'The deployment view: PRIMARY climbs to 2 running while ACTIVE still has 2 — 4 tasks — then ACTIVE drains to 0 and disappears.',
      '**{targetGroup}** → targets: four healthy, then two **draining**, then two.',
      'The **status bar** shows the rollout until it completes; **Events**: "has begun draining connections", "deregistered 2 targets", "has stopped 2 running tasks", "deployment completed".',
    ],
    actionLabel: 'Deploy with maximumPercent 200',
    checkLabel: '4 tasks ran at once and only the new revision remains',
    successText: 'Blue/Green done: the new revision took over, the old tasks drained and stopped on their own.',
  },

  'bluegreen-dynamic-ports': {
    title: 'Blue/Green with dynamic ports',
    summary: 'Leave the host port empty: 4 tasks fit on 2 instances, and the swap needs no extra servers.',
    what: [
      'Now swap versions **without** extra instances:',
      '1. Go **back to 2 instances**.\n2. Register a revision of `{family}` with **`ver1.0` and the host port left empty** (dynamic).\n3. Deploy it with **maximumPercent 200**.',
      'There is nothing to register in the target group `{targetGroup}`: ECS adds each new task there itself.',
    ].join('\n\n'),
    why: 'Four instances for two tasks is expensive. With dynamic host ports the port never collides, so the extra tasks of a deployment fit on the instances you already have.',
    insights: [
      'An empty host port means **dynamic port mapping**: Docker picks a free port from the ephemeral range (32768–61000) for every task. Two tasks on one instance no longer fight over port 80.',
      '**ECS registers each task in the target group itself**, as *instance ID + that port*. That is why the article says not to register instances in the target group for this: an instance on port 80 would be a target with nothing behind it. (Here the same target group is reused: as the old port-80 tasks stop, ECS deregisters their *instance:80* targets.)',
      'So **2 instances run 4 tasks** during the deployment — two per instance, the old one on port 80 and the new one on a high port — and then the old revision drains and stops, as before. The article did the same swap between two dynamic revisions (`:3` → `:4`).',
      'The article\'s remark: this works because "AWS assigns the ports so they don\'t collide". It is also the usual setup on ECS today.',
    ],
    observe: [
      '**{cluster}** → **Container instances**: two tasks per instance during the deployment, on different ports.',
      '**{targetGroup}** → targets: entries like `i-… : 32768`, added and removed by ECS, not by you.',
      'The deployment view: old and new side by side on 2 instances, then only the new revision.',
    ],
    actionLabel: 'Deploy with maximumPercent 200',
    checkLabel: '4 tasks ran at once and only the dynamic-port revision remains',
    successText: 'Two instances, four tasks, no conflict — and the old revision drained away on its own.',
  },

  'autoscaling-service': {
    title: 'Auto scaling: the service',
    summary: 'Up to 4 tasks: CPU 1-minute average above 20% adds 2.',
    what: [
      'Configure **service auto scaling** for `{service}`:',
      '- minimum **2**, **maximum 4** tasks\n- scale-out policy: when the service\'s **CPU utilization, 1-minute average, is above 20%**, **add 2 tasks**\n- a scale-in policy to go back down when the CPU falls below 20%',
    ].join('\n\n'),
    why: 'With ordinary EC2 auto scaling only instances scale. With ECS the **containers must scale too** — this policy decides how many tasks the service wants; the next step makes sure there are instances to put them on.',
    insights: [
      'Behind the policy is a **CloudWatch alarm** on `AWS/ECS CPUUtilization` for the service. When it goes to **ALARM** it fires the step policy, and Application Auto Scaling sets the service\'s **desired count** (2 → 4).',
      'The service\'s CPU is measured against what its tasks **reserve**: 20% means the tasks use a fifth of their reserved CPU units.',
      'The **cooldown** keeps a policy from firing again before the last change has had an effect. You will see why it matters on the way down.',
      'A low threshold (20%) is for the hands-on, so that a laptop-sized load test is enough to trigger it.',
    ],
    observe: [
      'Explorer: **{service}** tooltip — desired / running / pending. The desired count is what auto scaling changes.',
      'The live chart (next steps) draws the 20% threshold line this policy watches.',
    ],
    actionLabel: 'Configure service auto scaling',
    checkLabel: '`{service}` scales 2–4 tasks with scale-out and scale-in policies on CPU 20%',
    successText: 'The service can now grow to 4 tasks. Next: the instances to run them on.',
  },

  'autoscaling-cluster': {
    title: 'Auto scaling: the cluster',
    summary: 'The instances\' Auto Scaling group: maximum 4, cluster CPU above 20% adds 2 instances.',
    what: [
      'The instances scale through their **EC2 Auto Scaling group**, not through ECS. Set it up the same way as the service:',
      '- **maximum 4** instances\n- scale-out: the **cluster\'s CPU utilization above 20% → add 2 instances**\n- a scale-in policy back to 2',
    ].join('\n\n'),
    why: 'Tasks can only be placed where there is room. When the service asks for 4 tasks, the cluster needs the capacity to hold them — with host port 80, that means 4 instances.',
    insights: [
      'There are **two scaling loops**: Application Auto Scaling changes the **service\'s task count**, EC2 Auto Scaling changes the **number of instances**. Each has its own alarm and its own cooldown.',
      'A new instance is useful only after it has booted and its ECS agent has **registered it as a container instance**. Until then, tasks that need it wait as unplaced.',
      'Which instance goes on scale-in is the Auto Scaling group\'s choice. **Scale-in protection** lets you keep chosen instances — the article\'s answer to "which instance will be removed?".',
    ],
    observe: [
      'Explorer: **{cluster}** → **Container instances**: still 2 — the group\'s maximum is now 4.',
      'The live chart shows the instance count next to the task count.',
    ],
    actionLabel: 'Configure cluster auto scaling',
    checkLabel: 'The instances\' Auto Scaling group has maximum 4 with scale-out and scale-in policies',
    successText: 'Both loops are in place: tasks 2–4, instances 2–4.',
  },

  'autoscaling-run': {
    title: 'Load it: scale out and back in',
    summary: '`ab -n 100000 -c 100` against `/app/loginForm`, then watch it all scale out — and back.',
    what: [
      'Run the article\'s load test against the load balancer:',
      '```sh\nab -n 100000 -c 100 {endpoint}/app/loginForm\n```',
      '100,000 requests, 100 at a time. The extension runs the equivalent for you. Watch the chart; when the load ends, keep watching — the scale-in is half of the lesson.',
    ].join('\n\n'),
    why: 'This is where the pieces meet: a metric crosses a threshold, an alarm fires, a policy changes a count, ECS places tasks, instances join. Seeing the order — and the delays between them — is what tells you how to tune it.',
    insights: [
      'The article first tried `openssl speed -multi 1` on an instance, and **nothing scaled**: that load is not in the **service\'s** CPU, which is measured from its tasks. `ab` through the ALB loads the tasks themselves — and the alarm fires.',
      'On the way up: **alarm → desired count 4 → instances scale out → the new tasks start**. With host port 80 each new task needs a new instance, so **instances come before tasks**. (With dynamic ports and room to spare, the tasks may start at once and the new instances join empty.)',
      'On the way down the article\'s lesson is to **reverse the order: tasks first, then instances**. Removing an instance that still runs tasks only forces them elsewhere. Tune that with the **cooldowns** of the two policies.',
      'Waiting for instances to boot makes scale-out slow. If you can predict the load, **start instances beforehand**: then only containers have to start, and that is fast — the point of using containers in the first place.',
      'To keep particular instances when scaling in, use **scale-in protection**.',
      'The sandbox\'s clock runs 10× faster, so alarm periods and cooldowns pass in seconds — the order is the same as on AWS.',
    ],
    observe: [
      'The **live chart**: CPU against the 20% line, the alarm turning **ALARM** then **OK**, desired and running tasks (2 → 4 → 2) and instances (2 → 4 → 2).',
      'Explorer: **{service}** → **Events** and **Tasks**; **{cluster}** → **Container instances** growing and shrinking.',
      'The **status bar** while the service changes its task count.',
      '**Show the service\'s logs**: one access-log line per request while the load runs, then the new tasks joining with their `Started DemoApplication` line, and on the way back the `Received SIGTERM: shutting down` of the tasks scaled in.',
    ],
    actionLabel: 'Start the load',
    checkLabel: 'The alarm fired, it grew to 4 tasks on 4 instances, then went back to 2 tasks',
    successText: 'Full cycle: out to 4 tasks on 4 instances under load, back to 2 and 2 after it. Look at the chart again: which came first each way?',
  },

  'cleanup': {
    title: 'Clean up',
    summary: 'Remove everything the hands-on created, in dependency order.',
    what: [
      'Delete everything this hands-on created, with one command, in the order the dependencies require:',
      '1. scaling policies and alarms\n2. the service (scaled to 0, then deleted)\n3. the task definition revisions (deregistered)\n4. the listener, the load balancer and the target group\n5. the instances and their Auto Scaling group\n6. the cluster',
      'You see the list before anything is deleted.',
    ].join('\n\n'),
    why: 'On AWS the instances and the load balancer cost money by the hour. And the order matters: a cluster with services or instances cannot be deleted, a service must be scaled to 0 first — the construction order, backwards.',
    insights: [
      'Deleting the cluster last is not a convention: ECS refuses to delete a cluster that still has services, tasks or container instances.',
      'Deregistered task definition revisions stay visible as **INACTIVE**; they no longer start new tasks.',
      'Only resources the extension created (tagged `ecs-handson:managed=true`) or with the hands-on\'s names are offered for deletion. On real AWS only the tagged ones (an account\'s own `demo-cluster` is never listed), and you confirm the list first.',
    ],
    observe: [
      'The progress notification, one resource type after another.',
      'The explorer emptying: the service, then the load balancer, then `{cluster}`.',
    ],
    actionLabel: 'Clean up everything',
    checkLabel: 'Nothing the hands-on created remains',
    successText: 'All clean. Thanks for following along — you have built, healed, released, swapped and scaled an ECS service.',
  },
};
