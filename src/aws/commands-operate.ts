/**
 * The SDK command classes the "operate" commands use (update, deploy, stop, inspect, scale, load
 * balancer settings, auto scaling, cleanup). Re-exported here so the UI reaches them through the
 * lazily loaded AWS bundle (`loadAws().operateSdk`), never by importing the SDK itself.
 */
export {
  DeleteClusterCommand,
  DeleteServiceCommand,
  DeregisterContainerInstanceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListTagsForResourceCommand,
  StopTaskCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
export {
  DeleteListenerCommand,
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  DescribeTagsCommand as DescribeElbTagsCommand,
  ModifyTargetGroupCommand,
  ModifyTargetGroupAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
export {
  DeleteLaunchTemplateCommand,
  DeleteSecurityGroupCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeSecurityGroupsCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
export {
  DeleteScalingPolicyCommand,
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
export { DeleteAlarmsCommand, DescribeAlarmsCommand, GetMetricDataCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
export {
  DeleteAutoScalingGroupCommand,
  DeletePolicyCommand as DeleteAsgPolicyCommand,
  DescribeAutoScalingGroupsCommand,
  DescribePoliciesCommand as DescribeAsgPoliciesCommand,
  PutScalingPolicyCommand as PutAsgScalingPolicyCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
