// From a reserved request to a running session: admission (admission.ts decides), then a refusal
// (ERROR to the client, a started + failed pair for the UI) or a launch on a runner, announced once
// the transfer runs.
import type { Socket } from 'node:dgram';
import type { DeviceProfile, ProfileRule } from '../../shared/device-profiles.js';
import { failedSessionEvent, type EngineEvent, type LogLevel } from '../../shared/events.js';
import type { EngineSettings } from '../../shared/settings.js';
import { TftpErrorCode, type NameSuggestion, type RequestAsSent } from '../../shared/tftp-types.js';
import { admitRequest, type Admission, type ReadAdmission, type WriteAdmission } from './admission.js';
import { fileDigests } from './file-digests.js';
import { mayRefuseRepeatedOack, takesOnlyTheNextBlock } from './fingerprint.js';
import { answerError } from './listeners.js';
import type { LocalAddress } from './local-addresses.js';
import { requestedOptions } from './options.js';
import { ProfileMatcher } from '../../shared/profile-match.js';
import type { RequestPacket } from './packet.js';
import {
  describeRequest,
  describeSuggestions,
  inspectRequest,
  type InspectedRequest,
} from './request-inspection.js';
import { NameSuggester } from './served-files.js';
import type { SessionTable } from './session-table.js';
import type { DownloadJob, TransferJob, TransferRunner } from './transfer-runner.js';
import { peerLabel, type Peer } from './transfer.js';
import { abortUpload } from './upload-file.js';

export interface StartHost {
  settings(): EngineSettings;
  /** whether the server still listens (admission awaits; a stop may come meanwhile) */
  listening(): boolean;
  /** where `job` runs: a download thread, or this thread */
  runnerFor(job: TransferJob): TransferRunner;
  emit(event: EngineEvent): void;
  log(level: LogLevel, message: string, peer?: string, sessionId?: string): void;
}

type Admitted = ReadAdmission | WriteAdmission;

/** The request being started, and where to answer it. */
interface Start {
  id: string;
  req: RequestPacket;
  peer: Peer;
  local: LocalAddress;
  listener: Socket;
  /** the request as sent, its client, and the name the mapping rules give it */
  seen: InspectedRequest;
  /** the device profile that applies to this client, if a rule names one */
  profile: DeviceProfile | undefined;
}

export class SessionStarter {
  private nextId = 1;
  private readonly suggester = new NameSuggester();
  private matcher = new ProfileMatcher([]);
  private matcherRules: readonly ProfileRule[] | undefined;

  constructor(
    private readonly host: StartHost,
    private readonly table: SessionTable,
  ) {}

  /** Starts a session for a request whose client port the table has reserved. */
  async start(
    req: RequestPacket,
    peer: Peer,
    local: LocalAddress,
    listener: Socket,
    datagram: Buffer,
  ): Promise<void> {
    const id = `${Date.now().toString(36)}-${this.nextId++}`;
    // The request as sent, its client, and the name the mapping rules give it (request-inspection.ts).
    const seen = inspectRequest(datagram, req, peer.address, this.host.settings().nameMap);
    // First matching rule wins: by address, range, or the client the request looks like.
    const profile = this.profiles().match(peer.address, seen.request.client.client);
    const start: Start = { id, req, peer, local, listener, seen, profile };
    const admission = await this.admit(seen.lookup, profile, seen.request.options);
    if (!admission.ok) {
      this.refuse(start, admission.code, admission.clientMessage, admission.reason);
      return;
    }
    if (!this.host.listening()) {
      await this.letGo(admission);
      this.refuse(start, TftpErrorCode.NotDefined, 'Server shutting down', 'server stopping');
      return;
    }
    const job = this.jobFor(start, admission);
    this.host.runnerFor(job).run(job, {
      started: (session) => {
        this.table.hold(session, admission.kind === 'write' ? admission.lockKey : undefined);
        this.announce(start, admission);
        // Stopped while the transfer was starting: end it like every other session, once it has begun.
        if (!this.host.listening()) queueMicrotask(() => void session.abort());
      },
      noPort: (code) => {
        if (admission.kind === 'write') this.table.unlockUpload(admission.lockKey);
        this.host.log('error', `no transfer port available: ${code}`, peerLabel(peer), start.id);
        this.refuse(start, TftpErrorCode.NotDefined, 'Server busy, try again later', 'no transfer port');
      },
      cancelled: () =>
        this.refuse(start, TftpErrorCode.NotDefined, 'Server shutting down', 'server stopping'),
    });
  }

  /** The profile rules, compiled again only when the settings hold a new list. */
  private profiles(): ProfileMatcher {
    const rules = this.host.settings().profiles;
    if (rules !== this.matcherRules) {
      this.matcher = new ProfileMatcher(rules);
      this.matcherRules = rules;
    }
    return this.matcher;
  }

  private async admit(
    req: RequestPacket,
    profile: DeviceProfile | undefined,
    asSent: RequestAsSent['options'],
  ): Promise<Admission> {
    try {
      const quirks = profile ? { profile, asSent } : {};
      return await admitRequest(req, this.host.settings(), this.table.uploadsInFlight, quirks);
    } catch {
      return {
        ok: false,
        code: TftpErrorCode.NotDefined,
        clientMessage: 'Server error',
        reason: 'internal error',
      };
    }
  }

  private jobFor({ id, peer, local, seen, profile }: Start, admission: Admitted): TransferJob {
    const n = admission.negotiated;
    const s = this.host.settings();
    const common = {
      blksize: n.blksize,
      windowsize: n.windowsize,
      timeoutMs: n.timeout * 1000,
      retries: s.retries,
      oack: n.oack,
      netascii: admission.netascii,
    };
    const where = { id, peer, local, portRange: s.portRange };
    if (admission.kind === 'read') {
      const { handle, path, identity, size } = admission;
      // A device profile means the device needs care: strict lock-step, whatever it looks like.
      const checksOrder = profile === undefined && takesOnlyTheNextBlock(seen.request);
      const refusesRepeatedOack = mayRefuseRepeatedOack(seen.request);
      const cfg = { ...common, size, checksOrder, refusesRepeatedOack };
      const job: DownloadJob = { ...where, kind: 'read', handle, cfg };
      // The file's digest job starts now, alongside the transfer (or joins one under way).
      if (identity) job.digest = { identity, result: fileDigests.digest(path, identity) };
      return job;
    }
    return {
      ...where,
      kind: 'write',
      upload: admission.upload,
      cfg: { ...common, maxBytes: s.maxUploadBytes, policy: admission.policy },
    };
  }

  /** Admitted, but not to run after all: close the file, or remove the upload's temporary file. */
  private async letGo(admission: Admitted): Promise<void> {
    if (admission.kind === 'read') await admission.handle.close().catch(() => undefined);
    else {
      this.table.unlockUpload(admission.lockKey);
      await abortUpload(admission.upload);
    }
  }

  private announce({ id, req, peer, seen, profile }: Start, admission: Admitted): void {
    const n = admission.negotiated;
    const direction = req.kind === 'rrq' ? 'download' : 'upload';
    const mode = admission.netascii ? 'netascii' : 'octet';
    const options = {
      blksize: n.blksize,
      windowsize: n.windowsize,
      timeout: n.timeout,
      ...(n.tsize !== undefined ? { tsize: n.tsize } : {}),
    };
    const size = admission.kind === 'read' ? (admission.netascii ? undefined : admission.size) : n.tsize;
    this.host.emit({
      type: 'session-started',
      time: Date.now(),
      id,
      peer: peerLabel(peer),
      file: admission.relative,
      direction,
      mode,
      options,
      ...(size !== undefined ? { size } : {}),
      request: seen.request,
      ...(profile ? { profile: profile.id } : {}),
      // The list the transfer encodes into its OACK (jobFor passes n.oack): what the client received.
      ...(n.oack.length > 0 ? { oack: n.oack.map(({ name, value }) => ({ name, value })) } : {}),
    });
    const applied = profile ? `, profile ${profile.id}` : '';
    this.host.log(
      'info',
      `${direction} of ${admission.relative} started (${mode}, blksize ${n.blksize}, window ${n.windowsize}${applied}): ${describeRequest(seen.request)}`,
      peerLabel(peer),
      id,
    );
  }

  /**
   * The one way out for every refusal: ERROR to the client, a started + failed pair for the UI
   * (the start shows the options the client asked for: none was granted; the end says why) and a
   * warning for the log. A name not found also gets what the device probably meant, looked for
   * once the ERROR is on its way (bounded, rate-limited: served-files.ts).
   */
  private refuse(
    { id, req, peer, listener, seen }: Start,
    code: TftpErrorCode,
    clientMessage: string,
    reason: string,
  ): void {
    this.table.cancel(peer);
    answerError(listener, peer, code, clientMessage);
    const tell = (suggestions?: NameSuggestion[]): void => {
      const time = Date.now();
      this.host.emit({
        type: 'session-started',
        time,
        id,
        peer: peerLabel(peer),
        file: req.filename,
        direction: req.kind === 'rrq' ? 'download' : 'upload',
        mode: req.mode === 'netascii' ? 'netascii' : 'octet',
        options: requestedOptions(req, this.host.settings().timeout),
        request: seen.request,
      });
      const failed = failedSessionEvent({ time, id, code, message: clientMessage, reason });
      this.host.emit(suggestions ? { ...failed, suggestions } : failed);
      this.host.log(
        'warn',
        `${req.kind.toUpperCase()} refused: ${reason} (ERROR ${code}): ${describeRequest(seen.request)}${describeSuggestions(suggestions)}`,
        peerLabel(peer),
        id,
      );
    };
    if (code !== TftpErrorCode.FileNotFound) tell();
    else
      void this.suggester
        .suggest(this.host.settings().root, seen.lookup.filename, Date.now())
        .then(tell, () => tell());
  }
}
