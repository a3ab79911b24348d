/**
 * CreateService / UpdateService members beyond scheduling: kept and returned by DescribeServices
 * (networkConfiguration, enableExecuteCommand, availabilityZoneRebalancing, role, the deployment
 * alarms and strategy), or refused saying the sandbox does not serve them (Cloud Map's service
 * registries and Service Connect, EBS volume configurations, VPC Lattice, gateway connectors,
 * monitoring configurations, Fargate platform versions, blue/green, linear and canary settings).
 */
import type { CreateServiceCommandInput, DeploymentConfiguration as DeploymentConfigurationInput, UpdateServiceCommandInput } from '@aws-sdk/client-ecs';
import type { DeploymentConfiguration } from '../engine/state';
import { ecsFields as f } from '../kit';

type Input = Partial<CreateServiceCommandInput & UpdateServiceCommandInput>;

const NOT_SERVED: [keyof Input, string][] = [
  ['serviceRegistries', 'serviceRegistries: the sandbox does not serve AWS Cloud Map (service discovery).'],
  ['serviceConnectConfiguration', 'serviceConnectConfiguration: the sandbox does not serve AWS Cloud Map (Service Connect).'],
  ['volumeConfigurations', 'volumeConfigurations: the sandbox does not serve Amazon EBS volumes for tasks.'],
  ['vpcLatticeConfigurations', 'vpcLatticeConfigurations: the sandbox does not serve Amazon VPC Lattice.'],
  ['gatewayConnectors', 'gatewayConnectors: the sandbox does not serve gateway connectors.'],
  ['monitoring', 'monitoring: the sandbox does not serve service monitoring configurations.'],
  ['platformVersion', 'platformVersion: platform versions apply to the Fargate launch type, which the sandbox does not run (it runs the EC2 launch type only).'],
];

/** Refuses the members the sandbox does not serve (an empty list is accepted: it asks for nothing). */
export function refuseNotServed(input: Input): void {
  for (const [member, message] of NOT_SERVED) {
    const v = input[member];
    if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    f.fail(message);
  }
}

/** The `deploymentConfiguration` members beyond percentages and the circuit breaker: alarms and strategy kept; blue/green, linear and canary settings refused. */
export function deploymentExtras(dc: DeploymentConfigurationInput | undefined, base: DeploymentConfiguration): Pick<DeploymentConfiguration, 'alarms' | 'strategy'> {
  const out: Pick<DeploymentConfiguration, 'alarms' | 'strategy'> = {};
  for (const m of ['bakeTimeInMinutes', 'lifecycleHooks', 'linearConfiguration', 'canaryConfiguration', 'earlySuccessCriteria'] as const) {
    const v = dc?.[m];
    if (v !== undefined && !(Array.isArray(v) && v.length === 0)) {
      f.fail(`deploymentConfiguration.${m}: it applies to blue/green, linear and canary deployments, which the sandbox does not serve (ROLLING only).`);
    }
  }
  const a = dc?.alarms;
  if (a !== undefined) {
    const at = ['deploymentConfiguration', 'alarms'];
    const alarmNames = f.strings(a.alarmNames, [...at, 'alarmNames'], { required: true });
    const enable = f.bool(a.enable, [...at, 'enable'], { required: true });
    const rollback = f.bool(a.rollback, [...at, 'rollback'], { required: true });
    out.alarms = { alarmNames, enable, rollback };
  } else if (base.alarms) out.alarms = base.alarms;
  if (dc?.strategy !== undefined) out.strategy = 'ROLLING';
  else if (base.strategy) out.strategy = base.strategy;
  return out;
}

/** The stored members of `input` (CreateService: all; UpdateService: those it changes) for `Service.extra`. */
export function serviceExtras(input: Input, accountId: string, create: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (input.networkConfiguration !== undefined) {
    const c = input.networkConfiguration.awsvpcConfiguration;
    if (c) {
      const at = ['networkConfiguration', 'awsvpcConfiguration'];
      const subnets = f.strings(c.subnets, [...at, 'subnets'], { required: true, max: 16 });
      if (subnets.length === 0) f.fail('subnets can not be empty.');
      f.strings(c.securityGroups, [...at, 'securityGroups'], { max: 5 });
      f.oneOf(c.assignPublicIp, [...at, 'assignPublicIp'], ['ENABLED', 'DISABLED'] as const);
    }
    out.networkConfiguration = structuredClone(input.networkConfiguration);
  }
  if (input.enableExecuteCommand !== undefined) out.enableExecuteCommand = input.enableExecuteCommand;
  const az = f.oneOf(input.availabilityZoneRebalancing, 'availabilityZoneRebalancing', ['ENABLED', 'DISABLED'] as const);
  if (az !== undefined) out.availabilityZoneRebalancing = az;
  if (create && input.role !== undefined) {
    const role = f.str(input.role, 'role', { min: 1 })!;
    out.roleArn = role.startsWith('arn:') ? role : `arn:aws:iam::${accountId}:role/${role.replace(/^\/+/, '')}`;
  }
  return out;
}
