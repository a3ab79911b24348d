/**
 * Instance types the sandbox can launch, with their real vCPUs and memory. ECS registers
 * 1,024 CPU units per vCPU and the memory less what the OS and agent keep (as the ECS-optimized
 * AMI reports it; figures observed on Amazon Linux 2023 ECS AMIs, rounded).
 */
export interface InstanceType {
  name: string;
  vcpus: number;
  memoryMiB: number;
  /** What the container instance registers: CPU units and MiB. */
  registeredCpu: number;
  registeredMemory: number;
}

const t = (name: string, vcpus: number, memoryMiB: number, registeredMemory: number): InstanceType => ({
  name,
  vcpus,
  memoryMiB,
  registeredCpu: vcpus * 1024,
  registeredMemory,
});

export const INSTANCE_TYPES: Readonly<Record<string, InstanceType>> = Object.freeze({
  't3.micro': t('t3.micro', 2, 1024, 944),
  't3.small': t('t3.small', 2, 2048, 1955),
  't3.medium': t('t3.medium', 2, 4096, 3891),
  't3.large': t('t3.large', 2, 8192, 7854),
  'm5.large': t('m5.large', 2, 8192, 7680),
  'c5.large': t('c5.large', 2, 4096, 3747),
  't2.micro': t('t2.micro', 1, 1024, 982),
  't2.small': t('t2.small', 1, 2048, 1993),
  't2.medium': t('t2.medium', 2, 4096, 3943),
  'm5.xlarge': t('m5.xlarge', 4, 16384, 15576),
  'c5.xlarge': t('c5.xlarge', 4, 8192, 7680),
  't3.nano': t('t3.nano', 2, 512, 458),
  't3.xlarge': t('t3.xlarge', 4, 16384, 15760),
  't2.nano': t('t2.nano', 1, 512, 483),
  'm6i.large': t('m6i.large', 2, 8192, 7680),
  'c6i.large': t('c6i.large', 2, 4096, 3747),
  'r5.large': t('r5.large', 2, 16384, 15576),
  // EC2's default when RunInstances names no type (previous generation).
  'm1.small': t('m1.small', 1, 1740, 1655),
});

export const instanceType = (name: string): InstanceType | undefined =>
  Object.prototype.hasOwnProperty.call(INSTANCE_TYPES, name) ? INSTANCE_TYPES[name] : undefined;
