/**
 * Elastic Load Balancing v2 in the sandbox (awsQuery, Version 2015-12-01): the API handlers over
 * `RegionState.ext.elbv2`. The real traffic goes through runtime/alb-proxy.ts; target health moves
 * in health.ts (`HealthChecker.tick`, called from the engine's tick).
 */
import type * as ElbV2Api from '@aws-sdk/client-elastic-load-balancing-v2';
import { defineService, ELBV2 } from '../kit';
import { listenerOperations } from './listeners';
import { loadBalancerOperations } from './load-balancers';
import { ruleOperations } from './rules';
import { tagOperations } from './tags';
import { targetGroupOperations } from './target-groups';
import { targetOperations } from './targets';

export const elbv2Service = defineService<typeof ElbV2Api>(
  {
    signingName: 'elasticloadbalancing',
    protocol: 'awsQuery',
    version: '2015-12-01',
    xmlns: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/',
    dialect: ELBV2,
  },
  {
    ...loadBalancerOperations,
    ...targetGroupOperations,
    ...targetOperations,
    ...listenerOperations,
    ...ruleOperations,
    ...tagOperations,
  },
);

export { elbv2State, elbv2Settings, type Elbv2State } from './model';
export { registerTargets, deregisterTargets } from './targets';
