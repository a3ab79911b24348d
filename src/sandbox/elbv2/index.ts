/**
 * Elastic Load Balancing v2 in the sandbox (awsQuery, Version 2015-12-01): the API handlers over
 * `RegionState.serviceState.elbv2`. The real traffic goes through runtime/alb-proxy.ts; target
 * health moves in health.ts (`HealthChecker.tick`), run by the ELBv2 plug-in's tick after the
 * engine's (plugin.ts, wiring.ts).
 */
import type * as ElbV2Api from '@aws-sdk/client-elastic-load-balancing-v2';
import { defineService, ELBV2 } from '../kit';
import { describeAccountLimits } from './limits';
import { describeSslPolicies } from './ssl-policies';
import { createListener, deleteListener, describeListeners, modifyListener } from './listeners';
import {
  createLoadBalancer,
  deleteLoadBalancer,
  describeLoadBalancerAttributes,
  describeLoadBalancers,
  modifyLoadBalancerAttributes,
  setSecurityGroups,
} from './load-balancers';
import { createRule, deleteRule, describeRules, modifyRule, setRulePriorities } from './rules';
import { addTags, describeTags, removeTags } from './tags';
import {
  createTargetGroup,
  deleteTargetGroup,
  describeTargetGroupAttributes,
  describeTargetGroups,
  modifyTargetGroup,
  modifyTargetGroupAttributes,
} from './target-groups';
import { deregisterTargetsOp, describeTargetHealth, registerTargetsOp } from './targets';

export const elbv2Service = defineService<typeof ElbV2Api>(
  {
    signingName: 'elasticloadbalancing',
    protocol: 'awsQuery',
    version: '2015-12-01',
    xmlns: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/',
    dialect: ELBV2,
  },
  {
    CreateLoadBalancer: createLoadBalancer,
    DescribeLoadBalancers: describeLoadBalancers,
    DeleteLoadBalancer: deleteLoadBalancer,
    SetSecurityGroups: setSecurityGroups,
    DescribeLoadBalancerAttributes: describeLoadBalancerAttributes,
    ModifyLoadBalancerAttributes: modifyLoadBalancerAttributes,
    CreateTargetGroup: createTargetGroup,
    DescribeTargetGroups: describeTargetGroups,
    ModifyTargetGroup: modifyTargetGroup,
    DeleteTargetGroup: deleteTargetGroup,
    DescribeTargetGroupAttributes: describeTargetGroupAttributes,
    ModifyTargetGroupAttributes: modifyTargetGroupAttributes,
    RegisterTargets: registerTargetsOp,
    DeregisterTargets: deregisterTargetsOp,
    DescribeTargetHealth: describeTargetHealth,
    CreateListener: createListener,
    DescribeListeners: describeListeners,
    ModifyListener: modifyListener,
    DeleteListener: deleteListener,
    CreateRule: createRule,
    DescribeRules: describeRules,
    ModifyRule: modifyRule,
    SetRulePriorities: setRulePriorities,
    DeleteRule: deleteRule,
    AddTags: addTags,
    RemoveTags: removeTags,
    DescribeTags: describeTags,
    DescribeAccountLimits: describeAccountLimits,
    DescribeSSLPolicies: describeSslPolicies,
  },
);

export { elbv2State, elbv2Settings, type Elbv2State } from './model';
export { registerTargets, deregisterTargets } from './targets';
