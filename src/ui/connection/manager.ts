/**
 * The current connection: the embedded sandbox (default; started on first use, stopped with the
 * extension), an AWS profile + region, or a custom endpoint. Hands out SDK clients for it and the
 * service's clock ("now"), and tells listeners when it changes or the sandbox dies.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AwsClients, AwsErrorInfo, Connection, ErrorContext, ResolvedConnection } from '../../aws';
import { mapAwsError } from '../../aws/errors';
import { isLoopbackEndpoint } from '../../aws/loopback';
import { scaledClock, wallClock, WALL_TIME, type NowFn, type TimeBase } from '../../core/clock';
import { SandboxAdmin } from '../../aws/sandbox-admin';
import { loadAws } from '../aws-loader';
import { launchSandbox, type SandboxHandle } from './launcher';
import { readConnectionSettings, type ConnectionSettings } from './settings';

/** How long a reading of the sandbox's clock (now + time scale) is trusted. */
const CLOCK_RESYNC_MS = 3_000;

export type ConnectionState =
  | { status: 'idle' }
  | { status: 'starting'; label: string }
  | { status: 'ready'; label: string; connection: Connection; resolved: ResolvedConnection }
  | { status: 'failed'; label: string; message: string; sandboxDied?: boolean };

export class ConnectionManager implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ConnectionState>();
  readonly onDidChange = this.changed.event;
  private _state: ConnectionState = { status: 'idle' };
  private pending: Promise<{ connection: Connection; clients: AwsClients }> | undefined;
  private current: { connection: Connection; clients: AwsClients } | undefined;
  private sandbox: SandboxHandle | undefined;
  private clock: { fn: NowFn; at: number; timeScale: number } | undefined;
  private disposed = false;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get state(): ConnectionState {
    return this._state;
  }

  get settings(): ConnectionSettings {
    return readConnectionSettings();
  }

  /**
   * True when the connection gets real AWS's confirmations and pace: AWS itself, or an endpoint
   * that is not on this machine (a loopback emulator does not), unless the setting says otherwise.
   * Before the connection is resolved: decided from the settings alone (a profile counts as AWS).
   */
  get isRealAws(): boolean {
    if (this.current) return this.current.clients.resolved.realAws;
    const s = this.settings;
    if (s.kind === 'sandbox') return false;
    if (s.kind === 'profile' || s.treatAsRealAws === 'always') return true;
    return s.treatAsRealAws === 'auto' && !isLoopbackEndpoint(s.endpoint);
  }

  /**
   * What an AWS error's message and hint need to name: the endpoint called when it is not AWS's
   * own (the sandbox, a custom endpoint, a profile's endpoint_url), and the profile whose
   * credentials are used (an empty setting leaves AWS_PROFILE / default to the SDK, and to the hint).
   */
  errorContext(t: ErrorContext['t']): ErrorContext {
    const s = this.settings;
    const resolved = this.current?.clients.resolved;
    const usesProfile = s.kind === 'profile' || (s.kind === 'endpoint' && s.endpointCredentials === 'profile');
    return {
      endpoint: resolved?.endpoints.ecs,
      sandbox: resolved ? resolved.connection.kind === 'sandbox' : s.kind === 'sandbox',
      profile: resolved ? resolved.profile : usesProfile ? s.profile || undefined : undefined,
      t,
    };
  }

  /**
   * An AWS error as the user reads it. A refused or missing credential (an expired session, a
   * rotated key) makes the next call resolve the connection again: the shared files re-read, a new
   * credential provider — after `aws sso login` or `aws configure`, no reload of the window.
   */
  mapError(error: unknown, t: ErrorContext['t']): AwsErrorInfo {
    const info = mapAwsError(error, this.errorContext(t));
    if (info.kind === 'auth' && !/AccessDenied|Unauthorized|NotAuthorized/.test(info.code)) this.reloadCredentials(`${info.code} ${info.message}`);
    return info;
  }

  /**
   * Drops the clients of an AWS profile or custom endpoint connection: the next call resolves the
   * connection again (Refresh, an auth error). Calls in flight finish on the old clients.
   */
  reloadCredentials(reason: string): void {
    const old = this.current;
    if (!old || old.connection.kind === 'sandbox') return;
    this.current = undefined;
    this.log.info(`re-reading the AWS configuration and credentials (${reason})`);
    setTimeout(() => old.clients.destroy(), 60_000).unref?.();
  }

  get sandboxEndpoint(): string | undefined {
    return this.current?.connection.kind === 'sandbox' ? this.current.connection.endpoint : undefined;
  }

  /** The admin API of the connected sandbox (undefined when not connected to it). */
  sandboxAdmin(): SandboxAdmin | undefined {
    const endpoint = this.sandboxEndpoint;
    if (!endpoint || !this.sandbox || this.sandbox.endpoint !== endpoint) return undefined;
    return new SandboxAdmin(endpoint, this.sandbox.adminToken);
  }

  private setState(s: ConnectionState): void {
    this._state = s;
    this.changed.fire(s);
  }

  /** The SDK clients of the current connection, connecting (and starting the sandbox) on first use. */
  async clients(): Promise<AwsClients> {
    if (this.current) return this.current.clients;
    if (!this.pending) {
      this.pending = this.connect().finally(() => (this.pending = undefined));
    }
    return (await this.pending).clients;
  }

  /**
   * The clock the service's times are on (the rule in core/clock.ts): the sandbox's simulated clock,
   * with its speed as last read by `now()`, or the wall clock.
   */
  timeBase(): TimeBase {
    if (!this.sandboxEndpoint) return WALL_TIME;
    return { simulated: true, ...(this.clock ? { timeScale: this.clock.timeScale } : {}) };
  }

  /** "Now" on the service's clock (the sandbox runs faster than real time). */
  async now(): Promise<NowFn> {
    await this.clients();
    const admin = this.sandboxAdmin();
    if (!admin) return wallClock;
    // Re-read often: the time scale can change under us (the admin API, another window), and a stale
    // rate puts "now" minutes off within seconds at 60x (a local request, a few ms).
    if (this.clock && Date.now() - this.clock.at < CLOCK_RESYNC_MS) return this.clock.fn;
    try {
      const s = await admin.status();
      if (typeof s.now === 'number' && typeof s.timeScale === 'number') {
        this.clock = { fn: scaledClock({ now: s.now, timeScale: s.timeScale, sampledAt: Date.now() }), at: Date.now(), timeScale: s.timeScale };
        return this.clock.fn;
      }
    } catch (e) {
      this.log.warn(`could not read the sandbox clock: ${String(e)}`);
    }
    return wallClock;
  }

  /** Drops the current connection (e.g. after the settings changed); the next call reconnects. */
  async reset(): Promise<void> {
    this.current?.clients.destroy();
    this.current = undefined;
    this.clock = undefined;
    if (this.sandbox && this.settings.kind !== 'sandbox') {
      await this.sandbox.stop();
      this.sandbox = undefined;
    }
    this.setState({ status: 'idle' });
  }

  async restartSandbox(): Promise<void> {
    this.current?.clients.destroy();
    this.current = undefined;
    this.clock = undefined;
    const old = this.sandbox;
    this.sandbox = undefined;
    await old?.stop();
    await this.clients();
  }

  private async connect(): Promise<{ connection: Connection; clients: AwsClients }> {
    const s = this.settings;
    const label = labelFor(s);
    this.setState({ status: 'starting', label });
    try {
      const connection = await this.connectionFor(s);
      const aws = loadAws();
      const resolved = await aws.resolveConnection(connection, { t: vscode.l10n.t });
      const clients = aws.createClients(resolved, {
        userAgent: 'ecs-handson',
        logger: (e) => {
          const msg = `${e.service}.${e.operation} ${e.durationMs} ms${e.attempts && e.attempts > 1 ? ` (${e.attempts} attempts)` : ''}`;
          if (e.ok) this.log.info(`${msg} ${e.httpStatus ?? ''}`.trim());
          else this.log.error(`${msg} ${e.errorName ?? 'Error'}: ${e.errorMessage ?? ''}`);
        },
      });
      this.current = { connection, clients };
      this.setState({ status: 'ready', label: aws.connectionLabel(resolved, vscode.l10n.t), connection, resolved });
      return this.current;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.log.error(`connection failed: ${message}`);
      this.setState({ status: 'failed', label, message });
      throw e;
    }
  }

  private async connectionFor(s: ConnectionSettings): Promise<Connection> {
    switch (s.kind) {
      case 'profile':
        return { kind: 'profile', profile: s.profile || undefined, region: s.region || undefined, realAws: s.treatAsRealAws };
      case 'endpoint':
        if (!/^https?:\/\/[^\s]+$/.test(s.endpoint)) {
          throw new Error(vscode.l10n.t('Set "ecsHandson.endpoint.url" to the emulator\'s URL, e.g. http://localhost:4566.'));
        }
        return {
          kind: 'endpoint', endpoint: s.endpoint, region: s.region || undefined, realAws: s.treatAsRealAws,
          credentials: s.endpointCredentials === 'profile'
            ? { source: 'profile', profile: s.profile || undefined }
            : { source: 'keys', accessKeyId: s.endpointAccessKeyId, secretAccessKey: s.endpointSecretAccessKey },
        };
      case 'sandbox': {
        const sb = this.sandbox ?? (await this.startSandbox(s));
        return { kind: 'sandbox', endpoint: sb.endpoint, region: sb.region, credentials: sb.credentials };
      }
    }
  }

  private async startSandbox(s: ConnectionSettings): Promise<SandboxHandle> {
    const storage = this.context.globalStorageUri.fsPath;
    await vscode.workspace.fs.createDirectory(vscode.Uri.file(path.join(storage, 'sandbox')));
    const sb = await launchSandbox({
      script: path.join(this.context.extensionUri.fsPath, 'dist', 'sandbox.js'),
      stateFile: path.join(storage, 'sandbox', 'state.json'),
      timeScale: s.sandboxTimeScale,
      region: s.sandboxRegion,
      log: (line) => this.log.info(`[sandbox] ${line}`),
      t: vscode.l10n.t,
    });
    this.sandbox = sb;
    this.log.info(`sandbox ${sb.owned ? 'started' : 'already running'} at ${sb.endpoint} (pid ${sb.pid})`);
    void sb.exited.then(({ code, signal }) => {
      if (this.disposed || this.sandbox !== sb) return;
      this.sandbox = undefined;
      this.current?.clients.destroy();
      this.current = undefined;
      const message = vscode.l10n.t('The sandbox stopped ({0}).', signal ?? vscode.l10n.t('exit code {0}', String(code)));
      this.log.error(message);
      this.setState({ status: 'failed', label: vscode.l10n.t('Sandbox'), message, sandboxDied: true });
    });
    return sb;
  }

  dispose(): void {
    this.disposed = true;
    this.current?.clients.destroy();
    void this.sandbox?.stop();
    this.changed.dispose();
  }
}

function labelFor(s: ConnectionSettings): string {
  switch (s.kind) {
    case 'sandbox':
      return vscode.l10n.t('Sandbox');
    case 'profile':
      return vscode.l10n.t('AWS profile {0}', s.profile || process.env.AWS_PROFILE || 'default');
    case 'endpoint':
      return s.endpoint || vscode.l10n.t('Custom endpoint');
  }
}
