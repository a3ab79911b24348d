/**
 * The RegisterTaskDefinition members the sandbox keeps as data and returns unchanged in
 * DescribeTaskDefinition (volumes, pidMode, ipcMode, proxyConfiguration, runtimePlatform,
 * ephemeralStorage, inferenceAccelerators, enableFaultInjection), checked as ECS checks them.
 * The sandbox's task processes do not use them (no Docker volumes, namespaces, App Mesh proxy).
 */
import type { RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import type { ContainerDefinition } from '../engine/state';
import { ecsClientFields as cf } from '../kit';

const bad = (message: string): never => cf.fail(message);
const VOLUME_NAME = /^[a-zA-Z0-9_-]{1,255}$/;

/** The kept members, in DescribeTaskDefinition's names; throws ClientException on what ECS refuses. */
export function taskDefinitionExtras(input: RegisterTaskDefinitionCommandInput, containers: ContainerDefinition[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const names = new Set<string>();
  (input.volumes ?? []).forEach((v, i) => {
    const name = cf.str(v.name, ['volumes', i, 'name'], { required: true });
    if (!VOLUME_NAME.test(name)) bad(`Invalid volume name '${name}'. Up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.`);
    if (names.has(name)) bad(`Duplicate volume name '${name}'. Volume names must be unique within a task definition.`);
    names.add(name);
    if (v.dockerVolumeConfiguration?.scope !== undefined) cf.oneOf(v.dockerVolumeConfiguration.scope, ['volumes', i, 'dockerVolumeConfiguration', 'scope'], ['task', 'shared'] as const);
  });
  if (input.volumes !== undefined) out.volumes = structuredClone(input.volumes);
  // Each mount point names a volume of the task definition.
  for (const c of containers) {
    const mounts = (c.extra?.mountPoints as { sourceVolume?: string }[] | undefined) ?? [];
    for (const m of mounts) {
      if (m.sourceVolume !== undefined && !names.has(m.sourceVolume)) bad(`Invalid 'mountPoints' setting for container '${c.name}'. The sourceVolume '${m.sourceVolume}' is not a volume of this task definition.`);
    }
  }
  const pid = cf.oneOf(input.pidMode, 'pidMode', ['host', 'task'] as const);
  if (pid !== undefined) out.pidMode = pid;
  const ipc = cf.oneOf(input.ipcMode, 'ipcMode', ['host', 'task', 'none'] as const);
  if (ipc !== undefined) out.ipcMode = ipc;
  const proxy = input.proxyConfiguration;
  if (proxy !== undefined) {
    cf.oneOf(proxy.type, ['proxyConfiguration', 'type'], ['APPMESH'] as const);
    const cn = cf.str(proxy.containerName, ['proxyConfiguration', 'containerName'], { required: true });
    if (!containers.some((c) => c.name === cn)) bad(`Invalid setting for proxyConfiguration: the container '${cn}' is not a container of this task definition.`);
    out.proxyConfiguration = structuredClone(proxy);
  }
  const rp = input.runtimePlatform;
  if (rp !== undefined) {
    cf.oneOf(rp.cpuArchitecture, ['runtimePlatform', 'cpuArchitecture'], ['X86_64', 'ARM64'] as const);
    cf.oneOf(rp.operatingSystemFamily, ['runtimePlatform', 'operatingSystemFamily'], [
      'WINDOWS_SERVER_2019_FULL', 'WINDOWS_SERVER_2019_CORE', 'WINDOWS_SERVER_2016_FULL', 'WINDOWS_SERVER_2004_CORE', 'WINDOWS_SERVER_2022_CORE',
      'WINDOWS_SERVER_2022_FULL', 'WINDOWS_SERVER_2025_CORE', 'WINDOWS_SERVER_2025_FULL', 'WINDOWS_SERVER_20H2_CORE', 'LINUX',
    ] as const);
    out.runtimePlatform = { ...rp };
  }
  const es = input.ephemeralStorage;
  if (es !== undefined) {
    cf.int(es.sizeInGiB, ['ephemeralStorage', 'sizeInGiB'], { required: true, min: 21, max: 200 });
    out.ephemeralStorage = { ...es };
  }
  if (input.inferenceAccelerators !== undefined) {
    input.inferenceAccelerators.forEach((a, i) => {
      cf.str(a.deviceName, ['inferenceAccelerators', i, 'deviceName'], { required: true });
      cf.str(a.deviceType, ['inferenceAccelerators', i, 'deviceType'], { required: true });
    });
    out.inferenceAccelerators = structuredClone(input.inferenceAccelerators);
  }
  if (input.enableFaultInjection !== undefined) out.enableFaultInjection = input.enableFaultInjection;
  return out;
}
