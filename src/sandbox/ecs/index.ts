/** Amazon ECS (awsJson1_1) for the sandbox: one handler per operation over the region's ECS state. */
import type * as ECSApi from '@aws-sdk/client-ecs';
import { defineService, ECS, ECS_CLIENT } from '../kit';
import { deleteAccountSetting, listAccountSettings, putAccountSetting, putAccountSettingDefault } from './account-settings';
import { deleteAttributes, listAttributes, putAttributes } from './attributes';
import { createCapacityProvider, deleteCapacityProvider, describeCapacityProviders, putClusterCapacityProviders, updateCapacityProvider } from './capacity-providers';
import { createCluster, deleteCluster, describeClusters, listClusters, updateCluster, updateClusterSettings } from './clusters';
import { describeContainerInstances, listContainerInstances, updateContainerInstancesState } from './container-instances';
import { deregisterContainerInstance, registerContainerInstance } from './registration';
import { createService, deleteService, describeServices, listServices, updateService } from './services';
import { listTagsForResource, tagResource, untagResource } from './tags';
import {
  deleteTaskDefinitions,
  deregisterTaskDefinition,
  describeTaskDefinition,
  listTaskDefinitionFamilies,
  listTaskDefinitions,
  registerTaskDefinition,
} from './task-definitions';
import { describeTasks, listTasks, runTask, stopTask } from './tasks';

export const ecsService = defineService<typeof ECSApi>(
  {
    signingName: 'ecs',
    protocol: 'awsJson1_1',
    targetPrefix: 'AmazonEC2ContainerServiceV20141113',
    errorMessageKey: 'message',
    dialect: ECS,
    // ECS refuses task definitions with ClientException.
    dialects: { RegisterTaskDefinition: ECS_CLIENT, DescribeTaskDefinition: ECS_CLIENT, DeregisterTaskDefinition: ECS_CLIENT, DeleteTaskDefinitions: ECS_CLIENT },
  },
  {
    CreateCluster: createCluster,
    DescribeClusters: describeClusters,
    ListClusters: listClusters,
    DeleteCluster: deleteCluster,
    UpdateCluster: updateCluster,
    UpdateClusterSettings: updateClusterSettings,
    CreateCapacityProvider: createCapacityProvider,
    UpdateCapacityProvider: updateCapacityProvider,
    DeleteCapacityProvider: deleteCapacityProvider,
    DescribeCapacityProviders: describeCapacityProviders,
    PutClusterCapacityProviders: putClusterCapacityProviders,
    PutAccountSetting: putAccountSetting,
    PutAccountSettingDefault: putAccountSettingDefault,
    ListAccountSettings: listAccountSettings,
    DeleteAccountSetting: deleteAccountSetting,
    RegisterTaskDefinition: registerTaskDefinition,
    DescribeTaskDefinition: describeTaskDefinition,
    ListTaskDefinitions: listTaskDefinitions,
    ListTaskDefinitionFamilies: listTaskDefinitionFamilies,
    DeregisterTaskDefinition: deregisterTaskDefinition,
    DeleteTaskDefinitions: deleteTaskDefinitions,
    CreateService: createService,
    DescribeServices: describeServices,
    ListServices: listServices,
    UpdateService: updateService,
    DeleteService: deleteService,
    RunTask: runTask,
    StopTask: stopTask,
    ListTasks: listTasks,
    DescribeTasks: describeTasks,
    ListContainerInstances: listContainerInstances,
    DescribeContainerInstances: describeContainerInstances,
    UpdateContainerInstancesState: updateContainerInstancesState,
    RegisterContainerInstance: registerContainerInstance,
    DeregisterContainerInstance: deregisterContainerInstance,
    PutAttributes: putAttributes,
    ListAttributes: listAttributes,
    DeleteAttributes: deleteAttributes,
    ListTagsForResource: listTagsForResource,
    TagResource: tagResource,
    UntagResource: untagResource,
  },
);
