import { createLogger } from '../logger';
import type { SyncResult, TeamLink, TeamStatus } from './team-link';

const log = createLogger('team-sync');

/** How often a linked app syncs on its own. */
export const SYNC_INTERVAL_MS = 60_000;

/** What the window shows: the link's status, and whether a sync runs now. */
export interface TeamSyncState extends TeamStatus { syncing: boolean; lastResult: SyncResult | null }

/**
 * Syncs a linked data dir in the background (every minute, and at once when asked), one sync at a time,
 * off every session's path: a store that cannot be reached is noted (the status says since when) and
 * tried again at the next tick, never thrown at anyone.
 */
export class TeamSyncScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<SyncResult | null> | null = null;
  private lastResult: SyncResult | null = null;

  constructor(private readonly link: TeamLink, private readonly intervalMs = SYNC_INTERVAL_MS) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.syncNow(), this.intervalMs);
    this.timer.unref();
    void this.syncNow();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Runs a sync now (or joins the one running); resolves with its result, or null when not linked or it failed. */
  syncNow(): Promise<SyncResult | null> {
    if (!this.link.status().linked) return Promise.resolve(null);
    this.running ??= this.link.sync().then((result) => {
      this.lastResult = result;
      return result;
    }, (error: unknown) => {
      log.info(`team sync: ${(error as Error).message}`);
      return null;
    }).finally(() => { this.running = null; });
    return this.running;
  }

  state(): TeamSyncState {
    return { ...this.link.status(), syncing: this.running !== null, lastResult: this.lastResult };
  }

  /** Waits for a sync in progress (shutting down). */
  async idle(): Promise<void> {
    await this.running;
  }
}
