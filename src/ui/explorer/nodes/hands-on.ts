/** The first row of the explorer: the way into the hands-on (its walkthrough panel). */
import { t } from '../../l10n';
import type { ActionNode } from './item';

export const HANDS_ON_ROW_ID = 'handsOn';

export function handsOnNode(): ActionNode {
  const title = t('Start the hands-on');
  return {
    id: HANDS_ON_ROW_ID,
    kind: 'message',
    label: title,
    description: t('guided, step by step'),
    tooltip: t('Opens the walkthrough panel: build a cluster, a task definition, a load balancer and a service, then break it, release it, swap it Blue/Green and scale it. Each step checks the real state.'),
    icon: 'mortar-board',
    color: 'charts.blue',
    contextValue: 'ecsHandson.action.handsOn',
    collapsible: 'none',
    command: { id: 'ecsHandson.walkthrough.open', title },
  };
}
