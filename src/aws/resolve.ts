/**
 * Resolves a connection the way the AWS CLI and the SDKs resolve a profile: its region, its
 * configured endpoints (`endpoint_url`, the `services` section, `AWS_ENDPOINT_URL[_<SERVICE>]`,
 * `ignore_configured_endpoint_urls`) and its credentials (static keys, `credential_process`, SSO,
 * `role_arn` + `source_profile` …), for the profile chosen in the settings — not only for
 * `AWS_PROFILE`, which is all the SDK's own endpoint lookup knows.
 *
 * The shared config files are read with the SDK's own loader (`@smithy/core/config`), and each
 * resolution re-reads them (`ignoreCache`): the loader keeps the files in a process-wide cache
 * that every credential provider reads, so without it a rotated key, a new `aws configure` or a
 * fresh `aws sso login` would only be seen after a restart. The credentials come from the SDK's
 * default provider chain (`@aws-sdk/credential-provider-node`), a new one per resolution.
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { CONFIG_PREFIX_SEPARATOR, booleanSelector, getProfileName, loadConfig, loadSharedConfigFiles, SelectorType, type Profile } from '@smithy/core/config';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, ParsedIniData } from '@smithy/types';
import { defaultTranslate, type Translate } from '../core/l10n';
import { isLoopbackEndpoint } from './loopback';

export { isLoopbackEndpoint } from './loopback';

/** Which credentials a custom endpoint is called with (never the default chain unasked). */
export type EndpointCredentials =
  /** The endpoint's own keys (emulators accept any; `test`/`test` by convention). */
  | { source: 'keys'; accessKeyId: string; secretAccessKey: string }
  /** A profile's credentials (empty: AWS_PROFILE or the default profile, with the SDK's whole chain). */
  | { source: 'profile'; profile?: string };

/** Whether a connection gets real AWS's confirmations and pace: decided from its endpoint, or set. */
export type RealAwsSetting = 'auto' | 'always' | 'never';

export type Connection =
  | { kind: 'sandbox'; endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } }
  /** Profile and region empty: AWS_PROFILE / AWS_REGION / the profile's config, as the AWS CLI resolves them. */
  | { kind: 'profile'; profile?: string; region?: string; realAws?: RealAwsSetting }
  | { kind: 'endpoint'; endpoint: string; region?: string; credentials: EndpointCredentials; realAws?: RealAwsSetting };

/** The services the extension calls: each one's SDK service id (the key of its configured endpoint). */
export const SERVICE_IDS = {
  ecs: 'ECS',
  ec2: 'EC2',
  elbv2: 'Elastic Load Balancing v2',
  applicationAutoScaling: 'Application Auto Scaling',
  cloudWatch: 'CloudWatch',
  autoScaling: 'Auto Scaling',
  ssm: 'SSM',
  iam: 'IAM',
  logs: 'CloudWatch Logs',
  // Called by the credential providers (role chaining, SSO).
  sts: 'STS',
  sso: 'SSO',
} as const;
export type ServiceKey = keyof typeof SERVICE_IDS;

/** Where the region came from (shown in the status bar's tooltip). */
export type RegionSource = 'setting' | 'AWS_REGION' | 'AWS_DEFAULT_REGION' | 'profile' | 'sandbox';

export interface ResolvedConnection {
  connection: Connection;
  /** The profile whose configuration applies (undefined: the sandbox, or an endpoint with its own keys). */
  profile?: string;
  region: string;
  regionSource: RegionSource;
  /** Each service's endpoint when it is not AWS's own: the setting, AWS_ENDPOINT_URL… or the profile's. */
  endpoints: Partial<Record<ServiceKey, string>>;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Which credentials, for people: "profile dev", "test keys (AKIA…)" — never a secret. */
  credentialsLabel: string;
  /** Confirmations before billable / destructive work, and real AWS's polling pace. */
  realAws: boolean;
}

export interface ResolveOptions {
  t?: Translate;
  env?: NodeJS.ProcessEnv;
}

/** A connection the user can read about: which setting to change. */
export class ConnectionConfigError extends Error {
  override readonly name = 'ConnectionConfigError';
}

/**
 * `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`; in the profile, the `services` section's
 * `<service> = endpoint_url`, then the profile's `endpoint_url` — the SDKs' "service-specific
 * endpoints" rule (the same selector as the SDK's internal `getEndpointUrlConfig`, which is not
 * exported and only ever reads AWS_PROFILE / default).
 */
function endpointUrlSelectors(serviceId: string) {
  const upper = serviceId.split(' ').map((w) => w.toUpperCase()).join('_');
  const lower = serviceId.split(' ').map((w) => w.toLowerCase()).join('_');
  return {
    environmentVariableSelector: (env: NodeJS.ProcessEnv) => env[`AWS_ENDPOINT_URL_${upper}`] || env.AWS_ENDPOINT_URL || undefined,
    configFileSelector: (profile: Profile, config?: ParsedIniData) => {
      if (profile.services) {
        const section = config?.[['services', profile.services].join(CONFIG_PREFIX_SEPARATOR)];
        if (!section) throw new Error(`The services section "${profile.services}" specified in the profile is not present in the shared configuration file.`);
        const url = section[[lower, 'endpoint_url'].join(CONFIG_PREFIX_SEPARATOR)];
        if (url) return url;
      }
      return profile.endpoint_url || undefined;
    },
    default: undefined,
  };
}

const ignoreConfiguredEndpointUrls = {
  environmentVariableSelector: (env: NodeJS.ProcessEnv) => booleanSelector(env, 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', SelectorType.ENV),
  configFileSelector: (profile: Profile) => booleanSelector(profile, 'ignore_configured_endpoint_urls', SelectorType.CONFIG),
  default: false,
};

/** The profile's `region` (AWS_REGION and AWS_DEFAULT_REGION come before it: `resolveConnection`). */
const profileRegion = {
  environmentVariableSelector: () => undefined,
  configFileSelector: (profile: Profile) => profile.region || undefined,
  default: undefined,
};

/** The configured endpoints of a profile (and the environment) for each service, or none when ignored. */
export async function configuredEndpoints(profile: string | undefined, t: Translate = defaultTranslate): Promise<Partial<Record<ServiceKey, string>>> {
  const init = { profile };
  if (await loadConfig(ignoreConfiguredEndpointUrls, init)()) return {};
  // A `services` name without its section: the SDK's chain would swallow the error and call AWS
  // instead; say so, as the AWS CLI does.
  const { configFile } = await loadSharedConfigFiles();
  const services = configFile[profile ?? 'default']?.services;
  if (services && !configFile[['services', services].join(CONFIG_PREFIX_SEPARATOR)]) {
    throw new ConnectionConfigError(t('The profile {0} names the services section "{1}", which is not in the shared config file.', profile ?? 'default', services));
  }
  const out: Partial<Record<ServiceKey, string>> = {};
  for (const [key, id] of Object.entries(SERVICE_IDS) as Array<[ServiceKey, string]>) {
    const url = await loadConfig(endpointUrlSelectors(id), init)();
    if (url) out[key] = url;
  }
  return out;
}

/** Re-reads ~/.aws/config and ~/.aws/credentials (or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE) into the SDK's cache. */
export async function reloadSharedConfigFiles(): Promise<void> {
  await loadSharedConfigFiles({ ignoreCache: true });
}

/** AWS's own endpoints are real AWS; another endpoint by the setting, or by its host ("auto"). */
function decideRealAws(setting: RealAwsSetting | undefined, ecsEndpoint: string | undefined): boolean {
  if (ecsEndpoint === undefined || setting === 'always') return true;
  if (setting === 'never') return false;
  return !isLoopbackEndpoint(ecsEndpoint);
}

const maskKey = (key: string) => (key.length > 8 ? `${key.slice(0, 4)}…${key.slice(-4)}` : key);

/** The sandbox's connection as it is: its endpoint for every service, its own keys. */
export function resolveSandbox(connection: Extract<Connection, { kind: 'sandbox' }>, t: Translate = defaultTranslate): ResolvedConnection {
  return {
    connection, region: connection.region, regionSource: 'sandbox',
    endpoints: Object.fromEntries(Object.keys(SERVICE_IDS).map((k) => [k, connection.endpoint])),
    credentials: { ...connection.credentials }, credentialsLabel: t('the sandbox\'s keys'), realAws: false,
  };
}

/**
 * Everything the clients of a connection need, read now (the shared files again, a new credential
 * provider). Throws a `ConnectionConfigError` that says which setting to change when no region
 * can be found.
 */
export async function resolveConnection(connection: Connection, options: ResolveOptions = {}): Promise<ResolvedConnection> {
  const t = options.t ?? defaultTranslate;
  if (connection.kind === 'sandbox') return resolveSandbox(connection, t);
  await reloadSharedConfigFiles();
  const env = options.env ?? process.env;
  const usesProfile = connection.kind === 'profile' || connection.credentials.source === 'profile';
  const chosen = connection.kind === 'profile' ? connection.profile : connection.credentials.source === 'profile' ? connection.credentials.profile : undefined;
  const profile = getProfileName({ profile: chosen || undefined });

  let region = connection.region || undefined;
  let regionSource: RegionSource = 'setting';
  if (!region) {
    region = env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
    regionSource = env.AWS_REGION ? 'AWS_REGION' : 'AWS_DEFAULT_REGION';
    if (!region) {
      region = await loadConfig(profileRegion, { profile })().catch(() => undefined);
      regionSource = 'profile';
    }
  }
  if (!region) {
    throw new ConnectionConfigError(t('No region: set "ecsHandson.aws.region", AWS_REGION, or `region` in the profile {0} (aws configure set region REGION --profile {0}).', profile));
  }

  let endpoints: Partial<Record<ServiceKey, string>>;
  if (connection.kind === 'endpoint') {
    // The endpoint setting is the client's explicit endpoint: it wins over the configured ones.
    endpoints = Object.fromEntries(Object.keys(SERVICE_IDS).map((k) => [k, connection.endpoint]));
  } else {
    endpoints = await configuredEndpoints(profile, t);
  }

  let credentials: ResolvedConnection['credentials'];
  let credentialsLabel: string;
  if (connection.kind === 'endpoint' && connection.credentials.source === 'keys') {
    const { accessKeyId, secretAccessKey } = connection.credentials;
    credentials = { accessKeyId, secretAccessKey };
    credentialsLabel = t('the endpoint\'s keys ({0})', maskKey(accessKeyId));
  } else {
    // The SDK's chain with the profile named (as `--profile` does: no environment keys then), or
    // the whole default chain when none is. Role chaining and SSO call STS / SSO where the
    // profile's configuration says (an emulator's endpoint_url), never at the custom endpoint
    // setting (like --endpoint-url, it is the service's endpoint, not the credentials').
    const own = connection.kind === 'endpoint' ? await configuredEndpoints(profile, t) : endpoints;
    const clientConfig = own.sts && own.sts === own.sso ? { endpoint: own.sts, region } : { region };
    credentials = defaultProvider({ ...(chosen ? { profile: chosen } : {}), clientConfig, ignoreCache: true });
    credentialsLabel = !chosen && !env.AWS_PROFILE && env.AWS_ACCESS_KEY_ID ? t('the keys in AWS_ACCESS_KEY_ID ({0})', maskKey(env.AWS_ACCESS_KEY_ID)) : t('profile {0}', profile);
  }
  return {
    connection,
    profile: usesProfile ? profile : undefined,
    region,
    regionSource,
    endpoints,
    credentials,
    credentialsLabel,
    realAws: decideRealAws(connection.realAws, endpoints.ecs),
  };
}
