/**
 * Instance user data: EC2 takes it base64-encoded (at most 16 KB decoded); the ECS agent on the
 * instance reads `ECS_CLUSTER=<name>` from /etc/ecs/ecs.config, which user data usually writes
 * (`echo ECS_CLUSTER=demo-cluster >> /etc/ecs/ecs.config`).
 */
import { AwsError } from '../protocol/errors';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Returns the base64 text unchanged, or refuses it as EC2 does. */
export function checkUserData(b64: string): string {
  const compact = b64.replace(/\s+/g, '');
  if (!BASE64.test(compact)) throw new AwsError('InvalidUserData.Malformed', 'Invalid BASE64 encoding of user data.');
  if (Buffer.from(compact, 'base64').length > 16 * 1024) {
    throw new AwsError('InvalidParameterValue', 'User data is limited to 16384 bytes');
  }
  return b64;
}

export const decodeUserData = (b64: string): string => Buffer.from(b64.replace(/\s+/g, ''), 'base64').toString('utf8');

/**
 * The cluster the ECS agent would join: the last `ECS_CLUSTER=` assignment in the user data (later
 * lines of ecs.config win), quotes stripped. ECS cluster names are letters, digits, `-` and `_`.
 */
export function ecsClusterFromUserData(text: string): string | undefined {
  let found: string | undefined;
  const re = /(?:^|[^A-Za-z0-9_])ECS_CLUSTER\s*=\s*["']?([A-Za-z0-9_-]{1,255})/g;
  for (let m = re.exec(text); m; m = re.exec(text)) found = m[1];
  return found;
}
