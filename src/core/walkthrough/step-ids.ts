/**
 * The walkthrough's steps, in the hands-on's order (../shared/handson/SCENARIO.md). Content
 * (texts in English and Japanese) and behaviour (inputs, action, live check) are keyed by these ids.
 */
export const STEP_IDS = [
  'prepare-image', // 0. The demo images (ver1.0 / ver2.0) and what they serve
  'construction-order', // 1. cluster → task definition → load balancer → service (diagram)
  'create-cluster', // 1a. demo-cluster, EC2 capacity in two AZs (an Auto Scaling group of 2), Container Insights
  'task-definition', // 1b. demo-app-task:1, uzresk/demo:ver1.0, 8080 → host 80, cpu/memory hard+soft, env
  'load-balancer', // 1c. app-demo-lb, 2 AZs, security group allowing 80/HTTP, target group, listener 80
  'create-service', // 1d. demo-service, 2 tasks behind app-demo-lb; open <ALB>/app/
  'kill-container', // 2. stop a task; a new one replaces it; the 502 window (live probe); shorter health checks
  'release', // 3. register ver2.0 (revision 2), update the service; deployments; stuck on port 80 until a task is stopped
  'bluegreen-port-conflict', // 4a. maximumPercent 200 with 2 instances and host port 80: the port-conflict event
  'bluegreen-four-instances', // 4b. 4 instances: 4 tasks at once, old ones drained (~3 min) then stopped
  'bluegreen-dynamic-ports', // 5. host port empty (dynamic), back to 2 instances: 4 tasks on 2 instances, then only the new
  'autoscaling-service', // 6a. service auto scaling: max 4, CPU 1-min average > 20% → +2, scale-in policy
  'autoscaling-cluster', // 6b. the instances' Auto Scaling group: max 4, cluster CPU > 20% → +2 instances, scale-in
  'autoscaling-run', // 6c. load (ab -n 100000 -c 100 <ALB>/app/loginForm): alarm → 4 tasks → 4 instances; stop → back to 2
  'cleanup', // 7. remove everything the hands-on created, in dependency order
] as const;

export type StepId = (typeof STEP_IDS)[number];

/**
 * Context key set once the ECS view has been visible in this window: a completion event of the
 * native walkthrough's "Open the hands-on" step (package.json). VS Code counts an `onView:` event
 * once per window, and not at all for a step registered after the view was shown (a view restored
 * at startup), so that step needs an event the extension raises itself.
 */
export const EXPLORER_SHOWN_CONTEXT = 'ecsHandson.explorer.shown';
