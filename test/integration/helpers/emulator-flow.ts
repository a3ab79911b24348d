/**
 * The hands-on's ECS steps as the extension takes them (the same SDK calls, the explorer's loaders
 * and the rollout's state), against an AWS implementation this project does not own (moto): what
 * the explorer shows after creating a cluster and a service, registering a revision, deploying it
 * and scaling — with moto's own numbers (it reports a cluster's pending tasks as -1 after a scale
 * to 0, and keeps the old revision in a COMPLETED PRIMARY deployment after UpdateService).
 */
import assert from 'node:assert/strict';
import { CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import type { AwsClients } from '../../../src/aws/clients';
import { describeTaskDefinition } from '../../../src/aws/describe';
import { mapAwsError } from '../../../src/aws/errors';
import { loadChildren, loadRoots } from '../../../src/aws/explorer';
import { WALL_TIME } from '../../../src/core/clock';
import { deriveRevision } from '../../../src/core/revision';
import { computeRollout } from '../../../src/core/rollout';
import type { TreeNode } from '../../../src/core/tree-types';
import { statusText } from '../../../src/ui/rollout/present';

const find = (nodes: TreeNode[], label: string): TreeNode => {
  const n = nodes.find((x) => x.label === label);
  assert.ok(n, `"${label}" not among ${JSON.stringify(nodes.map((x) => `${x.label} | ${x.description ?? ''}`))}`);
  return n;
};

/** Everything the explorer shows about one cluster: its row, and its services' rows. */
async function explorerView(clients: AwsClients, cluster: string) {
  const roots = (await loadRoots(clients, { parentId: 'root' })).nodes;
  const clusterRow = find(roots, cluster);
  const sections = (await loadChildren(clients, clusterRow.children!, { parentId: clusterRow.id })).nodes;
  const servicesGroup = sections.find((n) => n.kind === 'group')!;
  const services = (await loadChildren(clients, servicesGroup.children!, { parentId: servicesGroup.id })).nodes;
  return { roots, clusterRow, services };
}

export async function emulatorFlow(clients: AwsClients, names: { cluster: string; family: string; service: string }): Promise<void> {
  const { ecs } = clients;
  const { cluster, family, service } = names;

  // Create Cluster, a task definition, a service with 1 task (moto runs it at once: MOTO_ECS_SERVICE_RUNNING=1).
  await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  await ecs.send(new RegisterTaskDefinitionCommand({
    family, networkMode: 'bridge', requiresCompatibilities: ['EC2'],
    containerDefinitions: [{ name: 'app', image: 'public.ecr.aws/nginx/nginx:1.27', memory: 128, essential: true, portMappings: [{ containerPort: 80, hostPort: 0 }] }],
  }));
  await ecs.send(new CreateServiceCommand({ cluster, serviceName: service, taskDefinition: `${family}:1`, desiredCount: 1 }));
  let view = await explorerView(clients, cluster);
  assert.match(view.clusterRow.resource ?? '', new RegExp(`^arn:aws:ecs:${await clients.region()}:\\d+:cluster/${cluster}$`), 'the cluster is in the connection\'s region');
  assert.equal(find(view.services, service).description, '1/1 running');

  // Register revision (Change image): the explorer lists revision 2 above 1.
  const td = (await describeTaskDefinition(ecs, `${family}:1`)).taskDefinition!;
  const input = deriveRevision(td, { containers: [{ image: 'public.ecr.aws/nginx/nginx:1.28' }] });
  const registered = (await ecs.send(new RegisterTaskDefinitionCommand(input))).taskDefinition!;
  assert.equal(registered.revision, 2);
  const families = (await loadChildren(clients, { type: 'taskDefinitionFamilies' }, { parentId: 'tds' })).nodes;
  const revisions = (await loadChildren(clients, find(families, family).children!, { parentId: 'fam' })).nodes;
  assert.deepEqual(revisions.map((r) => r.label), [`${family}:2`, `${family}:1`]);

  // Deploy revision: until a deployment runs revision 2 the service is deploying, never "deployed".
  await ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: `${family}:2` }));
  const described = (await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }))).services![0];
  const rollout = computeRollout(described, { now: Date.now() });
  assert.equal(rollout.state, 'in-progress', `PRIMARY runs ${rollout.primary.revision}, the service asks for ${described.taskDefinition}`);
  assert.doesNotMatch(statusText({ cluster, serviceName: service, progress: rollout, trackedAt: Date.now(), time: WALL_TIME }), /deployed/);
  view = await explorerView(clients, cluster);
  assert.match(find(view.services, service).description ?? '', /IN_PROGRESS/);

  // An operation the endpoint refuses: deploying a revision that does not exist. A clear error, nothing changed.
  const refused = await ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: `${family}:99` })).then(() => undefined, (e: unknown) => e);
  assert.ok(refused, 'UpdateService to a missing revision is refused');
  const info = mapAwsError(refused);
  assert.equal(info.code, 'ClientException');
  assert.equal(info.message, 'Unable to describe task definition.');
  assert.equal(info.kind, 'notFound');
  const after = (await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }))).services![0];
  assert.equal(after.taskDefinition, described.taskDefinition, 'the service still asks for the revision it had');

  // Scale to 0: moto now reports the cluster's pending tasks as -1; the explorer never shows a negative count.
  await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: 0 }));
  view = await explorerView(clients, cluster);
  for (const text of [view.clusterRow.description ?? '', view.clusterRow.tooltip ?? '', find(view.services, service).description ?? '']) {
    assert.doesNotMatch(text, /(?:^|[\s(:/])-\d/m, `a negative count shown: ${text}`);
  }
}
