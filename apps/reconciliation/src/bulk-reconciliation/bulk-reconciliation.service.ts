import {
  INCIDENT_DISCOVERED_TYPE,
  isCalendarDate,
  SYSTEMIC_INCIDENT_DISCOVERED_TYPE,
  type DiscoveryFinding,
  type IncidentDiscoveredV1,
  type SystemicIncidentDiscoveredV1,
} from '@pt/contracts';
import { enqueueEvent } from '@pt/database';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EntityManager } from 'typeorm';
import { ClearingService } from '../clearing/clearing.service.js';
import { TriageIncidents } from '../triage/triage-incidents.js';
import { StatementFileError } from './csv-record-splitter.js';
import { ReconRunRepository } from './recon-run.repository.js';
import { DISCREPANCY_CATEGORIES, type DiscrepancyCategory, type RunSummary, type RunView } from './recon-run.view.js';
import { ReconSession, type RunWindow } from './recon-session.js';
import { analyzeRepeats } from './repeats.js';
import { StatementEncoder, type ImportCounts, type Repeats } from './statement-encoder.js';
import { addDays, parseTimeZone, startOfDay } from '../config/time-zone.js';
import type { StatementFormat, StatementFormats } from '../config/statement-format.js';

/** Tuning of every run, from the service's configuration. */
export interface ReconSettings {
  databaseUrl: string;
  toleranceMinor: string;
  incidentCap: number;
  maxRejectedPercent: number;
  rejectedRowsKept: number;
  timeZone: string;
  formats: StatementFormats;
}

export interface RunRequest {
  channel: string;
  periodStart: string;
  periodEnd: string;
  dryRun: boolean;
  runId?: string;
  requestedBy: 'HTTP' | 'CLI' | 'SCHEDULE' | 'BENCH';
  correlationId: string;
}

/** Told about a run's progress as it happens (the command line draws its progress bar from it). */
export interface RunObserver {
  onStarted?: (runId: string) => void;
  onImportProgress?: (counts: ImportCounts) => void;
  onPhase?: (phase: string) => void;
}

export interface RunHooks {
  log: (level: 'info' | 'warn', fields: Record<string, unknown>) => void;
  /** Events were written to the outbox: publish them soon. */
  nudge: () => void;
}

/** Another run holds the channel's statement day(s). */
export class RunInProgressError extends Error {
  constructor(
    readonly runId: string | null,
    channel: string,
    start: string,
    end: string,
  ) {
    super(
      runId
        ? `run ${runId} is already reconciling ${channel} for ${start === end ? start : `${start}..${end}`}; wait for it to finish`
        : `another run is starting for ${channel} ${start === end ? start : `${start}..${end}`}; try again in a moment`,
    );
    this.name = 'RunInProgressError';
  }
}

/** A run request that cannot be carried out as asked; names the field. */
export class RunRequestError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'RunRequestError';
  }
}

const CHANNEL = /^[A-Za-z0-9_.-]{1,32}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const MAX_PERIOD_DAYS = 31;
const SYSTEMIC_LISTED_ORDERS = 200;

/** A name-based UUID (version 5 layout over SHA-256), so asking twice gives the same id. */
export function nameUuid(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The statement days [start, end] as UTC instants, days read in the given IANA zone or UTC offset. */
export function periodWindow(start: string, end: string, timeZone: string): RunWindow {
  const zone = parseTimeZone(timeZone);
  if (!zone) throw new Error(`not a time zone: ${timeZone}`);
  return { from: startOfDay(zone, start), to: startOfDay(zone, addDays(end, 1)) };
}

function explainFinding(
  finding: DiscoveryFinding,
  c: { paymentReference: string; orderNumber: string; amountMinor: string; currency: string; paidAt: string },
  channel: string,
): string {
  const money = `Payment ${c.paymentReference} of ${c.amountMinor} ${c.currency} cleared on ${channel} at ${c.paidAt}`;
  switch (finding) {
    case 'NO_ORDER':
      return `${money} for order ${c.orderNumber}, which the ledger does not know.`;
    case 'NO_PAYMENT':
      return `${money}, but the ledger has no payment for order ${c.orderNumber} and nothing was delivered (the payment callback was likely lost).`;
    case 'NO_DELIVERY':
      return `${money} and the ledger recorded it, but nothing was delivered for order ${c.orderNumber}.`;
  }
}

interface RunContext {
  runId: string;
  request: RunRequest;
  window: RunWindow;
  session: ReconSession;
  stage: string;
  source: 'FILE' | 'MIRROR';
  startedAt: number;
  observer: RunObserver;
}

/**
 * Bulk reconciliation of a channel's clearing statement (a CSV file, or what
 * clearing.events.v1 delivered) against the ledger mirror: streams the rows into a
 * staging table with COPY, matches them set-based in PostgreSQL, stores the
 * discrepancies, and asks intake to open an incident for each order whose money arrived
 * but nothing was credited, or one systemic incident when there are too many.
 */
export class BulkReconciliationService {
  constructor(
    private readonly runs: ReconRunRepository,
    private readonly settings: ReconSettings,
    private readonly hooks: RunHooks,
    private readonly clearing: ClearingService,
    private readonly incidents: TriageIncidents,
  ) {}

  formats(): StatementFormat[] {
    return this.settings.formats.all();
  }

  /** Reconciles a statement file read from `body`; resolves when the run has finished. */
  async runStatement(request: RunRequest, body: Readable, observer: RunObserver = {}): Promise<RunView> {
    const format = this.settings.formats.forChannel(request.channel);
    this.check(request);
    if (!format) {
      throw new RunRequestError(
        'channel',
        `no statement format is configured for channel ${request.channel}; known: ${this.formats()
          .map((f) => f.channel)
          .join(', ')}`,
      );
    }
    const context = await this.begin(request, 'FILE', format, observer);
    return this.execute(context, format, body);
  }

  /**
   * Starts a run over the clearing mirror. Resolves once the run holds its lock and is
   * recorded; `done` resolves when it has finished.
   */
  async startMirrorRun(request: RunRequest, observer: RunObserver = {}): Promise<{ runId: string; done: Promise<RunView> }> {
    this.check(request);
    const context = await this.begin(request, 'MIRROR', this.settings.formats.forChannel(request.channel) ?? null, observer);
    return { runId: context.runId, done: this.execute(context, null, null) };
  }

  private check(request: RunRequest): void {
    if (!CHANNEL.test(request.channel)) throw new RunRequestError('channel', 'channel must be 1-32 letters, digits, _ . -');
    const single = request.periodStart === request.periodEnd;
    if (!isCalendarDate(request.periodStart))
      throw new RunRequestError(single ? 'date' : 'from', `${single ? 'date' : 'from'} must be a calendar date YYYY-MM-DD`);
    if (!isCalendarDate(request.periodEnd)) throw new RunRequestError('to', 'to must be a calendar date YYYY-MM-DD');
    const days = (Date.parse(request.periodEnd) - Date.parse(request.periodStart)) / 86_400_000 + 1;
    if (days < 1) throw new RunRequestError('to', 'to must not be before from');
    if (days > MAX_PERIOD_DAYS) throw new RunRequestError('to', `a run covers at most ${MAX_PERIOD_DAYS} days`);
    if (request.runId !== undefined && !UUID.test(request.runId)) throw new RunRequestError('runId', 'runId must be a UUID');
  }

  /** Takes the run's locks and records it, or says which run holds them. */
  private async begin(request: RunRequest, source: 'FILE' | 'MIRROR', format: StatementFormat | null, observer: RunObserver): Promise<RunContext> {
    const runId = request.runId ?? crypto.randomUUID();
    if (request.runId && (await this.runs.runExists(runId))) throw new RunRequestError('runId', `a run with id ${runId} already exists`);
    const session = await ReconSession.open(this.settings.databaseUrl);
    try {
      const { channel, periodStart, periodEnd } = request;
      if (!(await session.tryLockDays(channel, periodStart, periodEnd))) {
        // The holder records its run right after taking the lock; give it a moment to show.
        let holder: string | null = null;
        for (let attempt = 0; attempt < 20 && !holder; attempt += 1) {
          holder = await this.runs.activeRunOverlapping(channel, periodStart, periodEnd);
          if (!holder) await new Promise((resolve) => setTimeout(resolve, 100));
        }
        throw new RunInProgressError(holder, channel, periodStart, periodEnd);
      }
      for (const stale of await this.runs.abandonOverlapping(channel, periodStart, periodEnd)) {
        await session.dropStage(stageName(stale));
        await session.dropStage(foundName(stale));
        this.hooks.log('warn', { msg: 'a run left unfinished by a stopped process was marked failed', runId: stale });
      }
      const timeZone = format?.timeZone ?? this.settings.timeZone;
      await this.runs.insertRun({
        id: runId,
        channel,
        periodStart,
        periodEnd,
        source,
        format: format?.name ?? null,
        dryRun: request.dryRun,
        settings: {
          toleranceMinor: this.settings.toleranceMinor,
          incidentCap: this.settings.incidentCap,
          maxRejectedPercent: this.settings.maxRejectedPercent,
          timeZone,
        },
        requestedBy: request.requestedBy,
        correlationId: request.correlationId,
      });
      observer.onStarted?.(runId);
      this.hooks.log('info', { msg: 'reconciliation run started', runId, channel, periodStart, periodEnd, source, dryRun: request.dryRun });
      return {
        runId,
        request,
        window: periodWindow(periodStart, periodEnd, timeZone),
        session,
        stage: stageName(runId),
        source,
        startedAt: Date.now(),
        observer,
      };
    } catch (error) {
      await session.close();
      throw error;
    }
  }

  private async execute(ctx: RunContext, format: StatementFormat | null, body: Readable | null): Promise<RunView> {
    const { runId, session, stage } = ctx;
    const timings: Record<string, number> = {};
    let mark = Date.now();
    const lap = (name: string) => {
      const now = Date.now();
      timings[name] = now - mark;
      mark = now;
    };
    try {
      let rowsLoaded: number;
      let repeats: Repeats | null = null;
      if (format && body) {
        const imported = await this.importStatement(ctx, format, body);
        if (imported.refusal) {
          await this.runs.finishRun(runId, 'REFUSED', null, imported.refusal);
          this.hooks.log('warn', { msg: 'statement refused', runId, reason: imported.refusal });
          return (await this.runs.findRun(runId))!;
        }
        rowsLoaded = imported.rowsLoaded;
        repeats = imported.repeats;
      } else {
        await session.createStage(stage);
        rowsLoaded = await session.loadFromMirror(stage, ctx.request.channel, ctx.window);
        await this.runs.updateProgress(runId, { rowsRead: rowsLoaded, rowsLoaded });
      }
      lap('importMs');

      this.phase(ctx, 'MATCHING');
      const elsewhere = await session.clearedElsewhere(stage, ctx.window);
      const keys = repeats?.complete
        ? { orderNumbers: [...repeats.orderNumbers], paymentReferences: [...repeats.paymentReferences] }
        : await session.repeatedKeys(stage);
      const staged = await session.stagedRowsOf(stage, [...keys.orderNumbers, ...new Set(elsewhere.map((e) => e.orderNumber))], keys.paymentReferences);
      const { surplus } = analyzeRepeats(staged, elsewhere);
      lap('repeatsMs');
      const found = foundName(runId);
      await session.matchPeriod(stage, found, { channel: ctx.request.channel, window: ctx.window, toleranceMinor: this.settings.toleranceMinor, surplus });
      lap('matchMs');
      await session.recordDiscrepancies(runId, found, this.settings.toleranceMinor, ctx.source === 'MIRROR');
      lap('recordMs');
      await session.dropStage(stage);

      this.phase(ctx, 'OPENING_INCIDENTS');
      const applied = await this.runs.transaction(async (m) => {
        const outcome = await this.applyFindings(m, ctx);
        return { ...outcome, mirrorUpdates: await this.feedClearingMirror(m, ctx) };
      });
      if (applied.eventsQueued > 0) this.hooks.nudge();
      lap('applyMs');
      const summary = await this.summarize(ctx, rowsLoaded, applied, timings);
      await this.runs.finishRun(runId, 'SUCCEEDED', summary, null);
      this.hooks.log('info', {
        msg: 'reconciliation run finished',
        runId,
        matched: summary.matched,
        byCategory: summary.byCategory,
        incidents: summary.incidents,
        durationMs: summary.durationMs,
      });
      return (await this.runs.findRun(runId))!;
    } catch (error) {
      const message = describeFailure(error);
      this.hooks.log('warn', { msg: 'reconciliation run failed', runId, err: message });
      await this.runs.finishRun(runId, 'FAILED', null, message).catch(() => undefined);
      return (await this.runs.findRun(runId))!;
    } finally {
      await session.dropStage(stage).catch(() => undefined);
      await session.dropStage(foundName(runId)).catch(() => undefined);
      await session.close();
    }
  }

  private phase(ctx: RunContext, phase: 'MATCHING' | 'OPENING_INCIDENTS'): void {
    ctx.observer.onPhase?.(phase);
    void this.runs.updateProgress(ctx.runId, { phase }).catch(() => undefined);
  }

  /** Streams the file through validation into COPY; refuses a file that is mostly bad. */
  private async importStatement(
    ctx: RunContext,
    format: StatementFormat,
    body: Readable,
  ): Promise<{ rowsLoaded: number; refusal: string | null; repeats: Repeats | null }> {
    // An object, so that the closures' writes are seen after the import (a bare `let` would narrow to null).
    const progress: { writing: Promise<void> | null } = { writing: null };
    const encoder = new StatementEncoder(format, {
      maxSamples: this.settings.rejectedRowsKept,
      progressEveryRows: 20_000,
      onProgress: (counts) => {
        ctx.observer.onImportProgress?.(counts);
        // One progress write at a time; a slow database must not hold up the import.
        if (progress.writing) return;
        progress.writing = this.runs
          .updateProgress(ctx.runId, {
            bytesRead: counts.bytesRead,
            rowsRead: counts.rowsRead,
            rowsRejected: counts.rowsRejected,
            rejectionReasons: counts.byReason,
          })
          .catch(() => undefined)
          .finally(() => {
            progress.writing = null;
          });
      },
    });
    const copy = await ctx.session.beginCopy(ctx.stage);
    try {
      await pipeline(body, encoder, copy);
      await ctx.session.endCopy(true);
    } catch (error) {
      await ctx.session.endCopy(false).catch(() => undefined);
      if (error instanceof StatementFileError) return { rowsLoaded: 0, refusal: `the statement cannot be read: ${error.message}`, repeats: null };
      if ((error as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE' || /aborted/i.test((error as Error).message)) {
        throw new Error('the upload ended before the statement was complete', { cause: error });
      }
      throw error;
    }
    await progress.writing;
    const counts = encoder.counts;
    const repeatedReferences = encoder.repeats.complete
      ? [...encoder.repeats.paymentReferences]
      : (await ctx.session.repeatedKeys(ctx.stage)).paymentReferences;
    const { duplicateLines } = analyzeRepeats(await ctx.session.stagedRowsOf(ctx.stage, [], repeatedReferences), []);
    await ctx.session.deleteLines(
      ctx.stage,
      duplicateLines.map((d) => d.line),
    );
    for (const repeat of duplicateLines) {
      counts.rowsRejected += 1;
      counts.byReason.DUPLICATE_REFERENCE = (counts.byReason.DUPLICATE_REFERENCE ?? 0) + 1;
      if (counts.samples.length < this.settings.rejectedRowsKept) {
        counts.samples.push({
          line: repeat.line,
          reason: 'DUPLICATE_REFERENCE',
          message: `payment reference ${repeat.paymentReference} is already on line ${repeat.firstLine}`,
        });
      }
    }
    counts.samples.sort((a, b) => a.line - b.line);
    const rowsLoaded = copy.rowCount - duplicateLines.length;
    await this.runs.saveRejectedRows(ctx.runId, counts.samples);
    await this.runs.updateProgress(ctx.runId, {
      bytesRead: counts.bytesRead,
      rowsRead: counts.rowsRead,
      rowsRejected: counts.rowsRejected,
      rowsLoaded,
      rejectionReasons: counts.byReason,
    });
    ctx.observer.onImportProgress?.(counts);
    const percent = counts.rowsRead === 0 ? 0 : (counts.rowsRejected * 100) / counts.rowsRead;
    if (percent > this.settings.maxRejectedPercent) {
      return {
        rowsLoaded,
        repeats: null,
        refusal: `${counts.rowsRejected} of ${counts.rowsRead} rows (${percent.toFixed(1)}%) were rejected, more than the ${this.settings.maxRejectedPercent}% allowed; nothing was reconciled`,
      };
    }
    return { rowsLoaded, refusal: null, repeats: encoder.repeats };
  }

  /**
   * Opens an incident (through intake) for every order owed a delivery that no incident
   * covers yet, or one systemic incident when there are more than the cap. A dry run only
   * marks what would happen.
   */
  private async applyFindings(m: EntityManager, ctx: RunContext): Promise<{ eventsQueued: number; mirrorUpdates: number; systemicIncidentId: string | null }> {
    const { runId, request } = ctx;
    const cap = this.settings.incidentCap;
    let eventsQueued = 0;
    const result = (systemicIncidentId: string | null) => ({ eventsQueued, mirrorUpdates: 0, systemicIncidentId });
    const pending = await this.runs.markIncidentCandidates(m, runId);
    if (pending === 0) return result(null);

    if (pending > cap) {
      const existing = await this.runs.openSystemicIncident(m, request.channel, request.periodStart, request.periodEnd);
      if (request.dryRun) {
        await this.runs.setPendingActions(m, runId, 'WOULD_RAISE_SYSTEMIC_INCIDENT', existing);
        return result(existing);
      }
      if (existing) {
        await this.runs.setPendingActions(m, runId, 'IN_SYSTEMIC_INCIDENT', existing);
        return result(existing);
      }
      const storm = await this.runs.stormFacts(m, runId, SYSTEMIC_LISTED_ORDERS);
      const id = crypto.randomUUID();
      const period = request.periodStart === request.periodEnd ? request.periodStart : `${request.periodStart}..${request.periodEnd}`;
      const explanation =
        `Reconciliation of ${request.channel} ${period} found ${storm.orderCount} orders paid but not credited, more than the cap of ${cap}: ` +
        `none was opened one by one. A cause common to all of them (a ledger or delivery feed down, a wrong statement) is likely. ` +
        `Orders: GET /v1/reconciliation/systemic-incidents/${id} on reconciliation.`;
      await this.runs.insertSystemicIncident(m, {
        id,
        runId,
        channel: request.channel,
        periodStart: request.periodStart,
        periodEnd: request.periodEnd,
        cap,
        explanation,
        ...storm,
      });
      await this.runs.setPendingActions(m, runId, 'IN_SYSTEMIC_INCIDENT', id);
      const event: SystemicIncidentDiscoveredV1 = {
        systemicIncidentId: id,
        runId,
        channel: request.channel,
        periodStart: request.periodStart,
        periodEnd: request.periodEnd,
        category: 'MISSING_IN_LEDGER',
        orderCount: storm.orderCount,
        cap,
        orderNumbers: storm.orderNumbers,
        totalAmountMinor: storm.totalAmountMinor,
        currency: storm.currency,
        explanation: explanation.slice(0, 500),
        detectedAt: new Date().toISOString(),
      };
      await enqueueEvent(
        m,
        SYSTEMIC_INCIDENT_DISCOVERED_TYPE,
        systemicIncidentKey(request.channel, request.periodStart, request.periodEnd),
        event,
        request.correlationId,
      );
      eventsQueued += 1;
      return result(id);
    }

    for (const candidate of await this.runs.incidentCandidates(m, runId)) {
      const discoveryId = nameUuid(`reconciliation-discovery:${candidate.orderNumber}:PAID_NOT_CREDITED`);
      if (request.dryRun) {
        await this.runs.setAction(m, runId, candidate.seq, 'WOULD_OPEN_INCIDENT', null);
        continue;
      }
      const finding = candidate.finding as DiscoveryFinding;
      if (!(await this.runs.recordDiscovery(m, { orderNumber: candidate.orderNumber, discoveryId, runId, finding }))) {
        // Another run (another channel's statement) asked for this order first.
        await this.runs.setAction(m, runId, candidate.seq, 'INCIDENT_EXISTS', await this.runs.discoveryOf(m, candidate.orderNumber));
        continue;
      }
      const event: IncidentDiscoveredV1 = {
        discoveryId,
        runId,
        incidentType: 'PAID_NOT_CREDITED',
        finding,
        orderNumber: candidate.orderNumber,
        accountId: candidate.accountId ?? 'unknown',
        amountMinor: candidate.amountMinor,
        currency: candidate.currency,
        paidAt: candidate.paidAt,
        channel: request.channel,
        paymentReference: candidate.paymentReference,
        explanation: explainFinding(finding, candidate, request.channel),
        discoveredAt: new Date().toISOString(),
      };
      await enqueueEvent(m, INCIDENT_DISCOVERED_TYPE, candidate.orderNumber, event, request.correlationId);
      await this.runs.setAction(m, runId, candidate.seq, 'INCIDENT_OPENED', discoveryId);
      eventsQueued += 1;
    }
    return result(null);
  }

  /**
   * Tells the clearing mirror what the statement says about the payments it disagrees on
   * (triage of their incidents needs to see the money), once the incidents are decided:
   * orders held in a systemic incident are left out until a rerun opens their incidents.
   */
  private async feedClearingMirror(m: EntityManager, ctx: RunContext): Promise<number> {
    if (ctx.request.dryRun || ctx.source !== 'FILE') return 0;
    const changed = await this.clearing.applyStatementStatuses(m, ctx.request.channel, await this.runs.statementStatusesToMirror(m, ctx.runId));
    await this.incidents.wakeWaiting(m, changed);
    return changed.length;
  }

  private async summarize(
    ctx: RunContext,
    rowsLoaded: number,
    applied: { mirrorUpdates: number; systemicIncidentId: string | null },
    timings: Record<string, number>,
  ): Promise<RunSummary> {
    const byCategory = Object.fromEntries(DISCREPANCY_CATEGORIES.map((c) => [c, 0])) as Record<DiscrepancyCategory, number>;
    const byFinding: Record<string, number> = {};
    let onStatement = 0;
    for (const row of await this.runs.discrepancyCounts(ctx.runId)) {
      byCategory[row.category] += row.n;
      byFinding[row.finding] = (byFinding[row.finding] ?? 0) + row.n;
      if (row.onStatement) onStatement += row.n;
    }
    const actions = await this.runs.actionCounts(ctx.runId);
    const durationMs = Date.now() - ctx.startedAt;
    return {
      statementRows: rowsLoaded,
      matched: rowsLoaded - onStatement,
      byCategory,
      byFinding,
      incidents: {
        cap: this.settings.incidentCap,
        opened: actions.INCIDENT_OPENED ?? 0,
        alreadyOpen: actions.INCIDENT_EXISTS ?? 0,
        wouldOpen: actions.WOULD_OPEN_INCIDENT ?? 0,
        systemicIncidentId: applied.systemicIncidentId,
        heldInSystemicIncident: (actions.IN_SYSTEMIC_INCIDENT ?? 0) + (actions.WOULD_RAISE_SYSTEMIC_INCIDENT ?? 0),
      },
      clearingMirrorUpdates: applied.mirrorUpdates,
      durationMs,
      timingsMs: timings,
      rowsPerSecond: Math.round(rowsLoaded / Math.max(durationMs / 1000, 0.001)),
    };
  }
}

/** Name of a run's staging table. */
export function stageName(runId: string): string {
  return `reconciliation.recon_stage_${runId.replace(/-/g, '')}`;
}

/** Name of a run's table of unmatched rows, between matching and recording. */
export function foundName(runId: string): string {
  return `reconciliation.recon_found_${runId.replace(/-/g, '')}`;
}

/** Message key of a systemic incident: it concerns a channel's days, not one order. */
export function systemicIncidentKey(channel: string, start: string, end: string): string {
  return `RECON-${channel}-${start}${start === end ? '' : `..${end}`}`;
}

function describeFailure(error: unknown): string {
  const e = error as { message?: string; code?: string };
  return e?.message ? `${e.message}${e.code && /^[0-9A-Z]{5}$/.test(e.code) ? ` (SQLSTATE ${e.code})` : ''}` : String(error);
}
