/**
 * What the container-instance, attribute, account-setting, cluster and placement operations answer
 * fits the installed SDK's output schemas: no member the SDK does not know (it would drop it
 * silently) and no leaf of the wrong type, at any depth.
 */
import { strict as assert } from 'node:assert';
import * as sdk from '@aws-sdk/client-ecs';
import { NormalizedSchema } from '@smithy/core/schema';
import type { Instance } from '../../../src/sandbox/engine/state';
import { ACCOUNT, Harness, REGION, container, taskDef } from './harness';

/** Where `value` departs from `schema` (paths of unknown members and mistyped leaves). */
function misfits(value: unknown, schema: NormalizedSchema, path: string, out: string[] = []): string[] {
  if (value === undefined || value === null) return out;
  if (schema.isStructSchema()) {
    if (typeof value !== 'object' || Array.isArray(value)) return [...out, `${path}: expected a structure`];
    const members = schema.getMemberSchemas();
    for (const [k, v] of Object.entries(value)) {
      if (!Object.hasOwn(members, k)) out.push(`${path}.${k}: not in the schema`);
      else misfits(v, members[k], `${path}.${k}`, out);
    }
  } else if (schema.isListSchema()) {
    if (!Array.isArray(value)) return [...out, `${path}: expected a list`];
    value.forEach((v, i) => misfits(v, schema.getValueSchema(), `${path}[${i}]`, out));
  } else if (schema.isMapSchema()) {
    for (const [k, v] of Object.entries(value)) misfits(v, schema.getValueSchema(), `${path}.${k}`, out);
  } else if (schema.isTimestampSchema() || schema.isNumericSchema()) {
    if (typeof value !== 'number') out.push(`${path}: expected a number, got ${typeof value}`);
  } else if (schema.isBooleanSchema()) {
    if (typeof value !== 'boolean') out.push(`${path}: expected a boolean`);
  } else if (schema.isStringSchema()) {
    if (typeof value !== 'string') out.push(`${path}: expected a string, got ${typeof value}`);
  }
  return out;
}

const outputSchema = (op: string) => {
  const spec = (sdk as unknown as Record<string, unknown[]>)[`${op}$`];
  return NormalizedSchema.of((spec[5] as () => never)());
};

describe('ECS outputs of the container-instance, settings and placement operations fit the SDK schemas', () => {
  it('every answer has only members the SDK knows, of the right types', () => {
    const h = new Harness();
    const checked: string[] = [];
    const call = (op: string, input: unknown) => {
      const out = h.call(op, input);
      assert.deepEqual(misfits(out, outputSchema(op), op), [], op);
      checked.push(op);
      return out;
    };
    call('CreateCluster', { clusterName: 'c', configuration: { executeCommandConfiguration: { logging: 'OVERRIDE', logConfiguration: { s3BucketName: 'logs' } } } });
    const subnet = Object.values(h.state.ec2.subnets)[0];
    const inst = {
      instanceId: 'i-0123456789abcdef0', imageId: 'ami-0123456789abcdef0', instanceType: 't3.small', state: 'running', launchTime: h.clock.now(),
      subnetId: subnet.subnetId, vpcId: subnet.vpcId, availabilityZone: subnet.availabilityZone, privateIpAddress: '172.31.0.10', securityGroupIds: [], tags: [],
    } as Instance;
    h.state.ec2.instances[inst.instanceId] = inst;
    const doc = JSON.stringify({ instanceId: inst.instanceId, region: REGION, accountId: ACCOUNT, instanceType: 't3.small' });
    const ci = call('RegisterContainerInstance', {
      cluster: 'c', instanceIdentityDocument: doc, instanceIdentityDocumentSignature: 'c2ln',
      totalResources: [{ name: 'PORTS_UDP', type: 'STRINGSET', stringSetValue: ['53'] }], versionInfo: { agentVersion: '1.89.3' },
      attributes: [{ name: 'stack', value: 'prod' }], tags: [{ key: 'k', value: 'v' }],
    }).containerInstance;
    call('PutAttributes', { cluster: 'c', attributes: [{ name: 'zone', value: 'blue', targetType: 'container-instance', targetId: ci.containerInstanceArn }] });
    call('ListAttributes', { cluster: 'c', targetType: 'container-instance', maxResults: 2 });
    call('DeleteAttributes', { cluster: 'c', attributes: [{ name: 'zone', targetId: ci.containerInstanceArn }] });
    call('ListContainerInstances', { cluster: 'c', filter: 'attribute:stack == prod', maxResults: 1 });
    call('DescribeContainerInstances', { cluster: 'c', containerInstances: [ci.containerInstanceArn, 'nope'], include: ['TAGS'] });
    call('UpdateContainerInstancesState', { cluster: 'c', containerInstances: [ci.containerInstanceArn, 'nope'], status: 'ACTIVE' });
    call('RegisterTaskDefinition', taskDef({ containerDefinitions: [container({ portMappings: [] })], placementConstraints: [{ type: 'memberOf', expression: 'attribute:stack exists' }] }));
    call('DescribeTaskDefinition', { taskDefinition: 'demo-app-task' });
    call('RunTask', { cluster: 'c', taskDefinition: 'demo-app-task', count: 2, placementConstraints: [{ type: 'distinctInstance' }], placementStrategy: [{ type: 'binpack', field: 'cpu' }] });
    call('CreateService', {
      cluster: 'c', serviceName: 's', taskDefinition: 'demo-app-task', desiredCount: 1,
      placementConstraints: [{ type: 'memberOf', expression: 'runningTasksCount < 5' }], placementStrategy: [{ type: 'spread', field: 'attribute:ecs.availability-zone' }],
    });
    h.advance(60_000);
    call('DescribeServices', { cluster: 'c', services: ['s'] });
    call('UpdateService', { cluster: 'c', service: 's', placementStrategy: [{ type: 'random' }] });
    call('PutAccountSetting', { name: 'containerInsights', value: 'enhanced' });
    call('PutAccountSettingDefault', { name: 'awsvpcTrunking', value: 'enabled' });
    call('ListAccountSettings', { effectiveSettings: true });
    call('DeleteAccountSetting', { name: 'containerInsights' });
    call('UpdateCluster', { cluster: 'c', settings: [{ name: 'containerInsights', value: 'enabled' }], configuration: { managedStorageConfiguration: { kmsKeyId: 'k' } } });
    call('UpdateClusterSettings', { cluster: 'c', settings: [{ name: 'containerInsights', value: 'disabled' }] });
    call('DescribeClusters', { clusters: ['c'], include: ['CONFIGURATIONS', 'SETTINGS', 'STATISTICS', 'TAGS'] });
    call('StopTask', { cluster: 'c', task: h.call('ListTasks', { cluster: 'c' }).taskArns[0] });
    call('DeregisterContainerInstance', { cluster: 'c', containerInstance: ci.containerInstanceArn, force: true });
    assert.equal(checked.length, 23);
  });

  it('the check itself sees unknown members and wrong types', () => {
    const bad = { setting: { name: 'containerInsights', value: 1, principal: 'x' }, extra: [] };
    assert.deepEqual(misfits(bad, outputSchema('PutAccountSetting'), 'out'), [
      'out.setting.value: expected a string, got number',
      'out.setting.principal: not in the schema',
      'out.extra: not in the schema',
    ]);
  });
});
