/**
 * DescribeInstanceTypes over the types the sandbox can launch (instance-types.ts).
 */
import type { DescribeInstanceTypesCommandInput } from '@aws-sdk/client-ec2';
import { ec2Dialect, paginate, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import { applyFilters, parseFilters } from './filters';
import { pageSize } from './request';
import { INSTANCE_TYPES, type InstanceType } from './instance-types';

const burstable = (t: InstanceType): boolean => /^t\d/.test(t.name);
const nitro = (t: InstanceType): boolean => !/^(t2|m1)\./.test(t.name);

function typeOutput(t: InstanceType) {
  const threads = t.vcpus > 1 ? 2 : 1;
  return {
    instanceType: t.name,
    currentGeneration: !t.name.startsWith('m1.'),
    freeTierEligible: t.name === 't2.micro' || t.name === 't3.micro',
    supportedUsageClasses: ['on-demand', 'spot'],
    supportedRootDeviceTypes: ['ebs'],
    supportedVirtualizationTypes: t.name.startsWith('m1.') ? ['hvm', 'paravirtual'] : ['hvm'],
    bareMetal: false,
    hypervisor: nitro(t) ? 'nitro' : 'xen',
    processorInfo: { supportedArchitectures: t.name.startsWith('m1.') ? ['i386', 'x86_64'] : ['x86_64'], manufacturer: 'Intel' },
    vCpuInfo: {
      defaultVCpus: t.vcpus,
      defaultCores: t.vcpus / threads,
      defaultThreadsPerCore: threads,
    },
    memoryInfo: { sizeInMiB: t.memoryMiB },
    instanceStorageSupported: false,
    burstablePerformanceSupported: burstable(t),
    hibernationSupported: false,
    dedicatedHostsSupported: false,
    autoRecoverySupported: true,
    supportedBootModes: ['legacy-bios'],
  };
}

export const describeInstanceTypes: Operation<DescribeInstanceTypesCommandInput> = (_ctx, input) => {
  const names: string[] = input.InstanceTypes ?? [];
  const unknown = names.filter((n) => !Object.prototype.hasOwnProperty.call(INSTANCE_TYPES, n));
  if (unknown.length > 0) {
    throw new AwsError('InvalidInstanceType', `The following supplied instance types do not exist: [${unknown.join(', ')}]`);
  }
  const all = Object.values(INSTANCE_TYPES).sort((a, b) => (a.name < b.name ? -1 : 1));
  const selected = names.length > 0 ? all.filter((t) => names.includes(t.name)) : all;
  const out = applyFilters(selected, parseFilters(input.Filters), {
    'instance-type': (t) => t.name,
    'current-generation': (t) => !t.name.startsWith('m1.'),
    'vcpu-info.default-vcpus': (t) => String(t.vcpus),
    'memory-info.size-in-mib': (t) => String(t.memoryMiB),
    'burstable-performance-supported': (t) => burstable(t),
    hypervisor: (t) => (nitro(t) ? 'nitro' : 'xen'),
    'processor-info.supported-architecture': () => 'x86_64',
    'free-tier-eligible': (t) => t.name === 't2.micro' || t.name === 't3.micro',
  });
  const { page, next } = paginate(
    out,
    { op: 'DescribeInstanceTypes', size: pageSize(input.MaxResults, { min: 5, max: 100 }), token: input.NextToken, key: (t) => t.name },
    ec2Dialect,
  );
  return { instanceTypeSet: page.map(typeOutput), nextToken: next };
};
