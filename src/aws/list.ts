/**
 * Paginated List* calls through the SDK's own paginators: `list…` returns every ARN/name,
 * `list…Page` returns one page and the token of the next ("load more").
 */
import {
  paginateListClusters,
  paginateListContainerInstances,
  paginateListServices,
  paginateListTaskDefinitionFamilies,
  paginateListTaskDefinitions,
  paginateListTasks,
  type ECSClient,
  type ListContainerInstancesCommandInput,
  type ListTaskDefinitionFamiliesCommandInput,
  type ListTaskDefinitionsCommandInput,
  type ListTasksCommandInput,
} from '@aws-sdk/client-ecs';
import { collectPages, firstPage, type Page } from './batch';

/** Page options: where to start and how many per page (ECS allows 1–100). */
export interface PageOptions {
  nextToken?: string;
  pageSize?: number;
}

const cfg = (client: ECSClient, opts: PageOptions = {}) => ({
  client,
  pageSize: opts.pageSize ?? 100,
  ...(opts.nextToken ? { startingToken: opts.nextToken } : {}),
});

export function listClusterArns(ecs: ECSClient): Promise<string[]> {
  return collectPages(paginateListClusters(cfg(ecs), {}), (p) => p.clusterArns);
}

export function listServiceArns(ecs: ECSClient, cluster: string): Promise<string[]> {
  return collectPages(paginateListServices(cfg(ecs), { cluster }), (p) => p.serviceArns);
}

export function listServiceArnsPage(ecs: ECSClient, cluster: string, opts: PageOptions = {}): Promise<Page<string>> {
  return firstPage(paginateListServices(cfg(ecs, opts), { cluster }), (p) => p.serviceArns, (p) => p.nextToken);
}

export type ListTasksFilter = Omit<ListTasksCommandInput, 'nextToken' | 'maxResults'>;

export function listTaskArns(ecs: ECSClient, filter: ListTasksFilter): Promise<string[]> {
  return collectPages(paginateListTasks(cfg(ecs), { ...filter }), (p) => p.taskArns);
}

export function listTaskArnsPage(ecs: ECSClient, filter: ListTasksFilter, opts: PageOptions = {}): Promise<Page<string>> {
  return firstPage(paginateListTasks(cfg(ecs, opts), { ...filter }), (p) => p.taskArns, (p) => p.nextToken);
}

export type ListContainerInstancesFilter = Omit<ListContainerInstancesCommandInput, 'nextToken' | 'maxResults'>;

export function listContainerInstanceArns(ecs: ECSClient, filter: ListContainerInstancesFilter): Promise<string[]> {
  return collectPages(paginateListContainerInstances(cfg(ecs), { ...filter }), (p) => p.containerInstanceArns);
}

export type ListFamiliesFilter = Omit<ListTaskDefinitionFamiliesCommandInput, 'nextToken' | 'maxResults'>;

export function listTaskDefinitionFamilies(ecs: ECSClient, filter: ListFamiliesFilter = {}): Promise<string[]> {
  return collectPages(paginateListTaskDefinitionFamilies(cfg(ecs), { ...filter }), (p) => p.families);
}

export function listTaskDefinitionFamiliesPage(ecs: ECSClient, filter: ListFamiliesFilter = {}, opts: PageOptions = {}): Promise<Page<string>> {
  return firstPage(paginateListTaskDefinitionFamilies(cfg(ecs, opts), { ...filter }), (p) => p.families, (p) => p.nextToken);
}

export type ListTaskDefinitionsFilter = Omit<ListTaskDefinitionsCommandInput, 'nextToken' | 'maxResults'>;

/** Task-definition ARNs; pass `sort: 'DESC'` for newest first. */
export function listTaskDefinitionArns(ecs: ECSClient, filter: ListTaskDefinitionsFilter = {}): Promise<string[]> {
  return collectPages(paginateListTaskDefinitions(cfg(ecs), { ...filter }), (p) => p.taskDefinitionArns);
}
