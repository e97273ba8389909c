/**
 * Sending at the provider's pace. Resend allows a few requests a second per team (2 by default)
 * and says so on every answer (ratelimit-limit, ratelimit-remaining, ratelimit-reset, and
 * retry-after on a 429). A pacer hands out one turn every 1/rate seconds to every sender that
 * shares it; what the provider says narrows it: a lower limit lowers the rate, nothing left in
 * the window holds every turn until the window resets, a 429 holds them for Retry-After.
 * Pure timing, no I/O: the mailer owns one per API key, so every pass of a process shares it.
 */

export type RateLimitInfo = {
  /** Requests allowed in the provider's window (a second, for Resend). */
  limit?: number;
  /** Requests left in the current window. */
  remaining?: number;
  /** Milliseconds until the window resets. */
  resetMs?: number;
  /** Milliseconds the provider asks to wait (Retry-After, on a 429). */
  retryAfterMs?: number;
};

const seconds = (value: string | undefined) => {
  if (value === undefined || value.trim() === "") return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
};

/** The rate-limit headers of an answer (names in lower case, as fetch gives them), in milliseconds. */
export function readRateLimitHeaders(headers: Record<string, string> | null | undefined): RateLimitInfo {
  if (!headers) return {};
  const limit = seconds(headers["ratelimit-limit"]);
  const remaining = seconds(headers["ratelimit-remaining"]);
  const reset = seconds(headers["ratelimit-reset"]);
  const retryAfter = seconds(headers["retry-after"]);
  return {
    ...(limit !== undefined && limit > 0 ? { limit } : {}),
    ...(remaining !== undefined ? { remaining } : {}),
    ...(reset !== undefined ? { resetMs: Math.ceil(reset * 1000) } : {}),
    ...(retryAfter !== undefined && retryAfter > 0 ? { retryAfterMs: Math.ceil(retryAfter * 1000) } : {}),
  };
}

/** Longest a window reset or Retry-After may hold every sender. */
const MAX_HOLD_MS = 60_000;

/**
 * Turns are handed out one at a time, in the order they were asked for, each 1/rate after the
 * last and none while held; nothing is reserved ahead, so a hold that starts while senders wait
 * moves all of them, and the turns after it are as evenly spaced as before.
 */
export class SendPacer {
  /** Turns per second now: the configured rate, or less when the provider says its limit is lower. */
  private rate: number;
  /** When the last turn was handed out. */
  private lastTurn = Number.NEGATIVE_INFINITY;
  /** No turn starts before this (the window is used up, or a 429 said to wait). */
  private heldUntil = 0;
  private waiting: { deadline: number; resolve: (ok: boolean) => void }[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly configuredRate: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.rate = configuredRate;
  }

  get ratePerSecond() {
    return this.rate;
  }

  /** When the next turn could start. */
  get openAt() {
    const spacing = Number.isFinite(this.rate) ? 1000 / this.rate : 0;
    return Math.max(this.clock(), this.lastTurn + spacing, this.heldUntil);
  }

  /**
   * Waits for a turn to send one request. Resolves false, taking no turn, once the turn could
   * only start after `deadline` (the pass has to stop first).
   */
  take(deadline = Number.POSITIVE_INFINITY): Promise<boolean> {
    return new Promise((resolve) => {
      this.waiting.push({ deadline, resolve });
      this.handOut();
    });
  }

  private handOut() {
    if (this.timer) return;
    for (;;) {
      const at = this.openAt;
      while (this.waiting.length && this.waiting[0].deadline < at) this.waiting.shift()!.resolve(false);
      if (!this.waiting.length) return;
      const wait = at - this.clock();
      if (wait > 0) {
        this.timer = setTimeout(() => {
          this.timer = null;
          this.handOut();
        }, wait);
        return;
      }
      this.lastTurn = this.clock();
      this.waiting.shift()!.resolve(true);
    }
  }

  /** Every sender waits this long before its next request (a 429 without Retry-After, for one). */
  hold(ms: number) {
    this.heldUntil = Math.max(this.heldUntil, this.clock() + Math.min(Math.max(0, ms), MAX_HOLD_MS));
  }

  /** What an answer said about the limit. */
  observe(info: RateLimitInfo) {
    if (info.limit !== undefined && info.limit < this.rate) this.rate = info.limit;
    if (info.remaining === 0 && info.resetMs !== undefined) this.hold(info.resetMs);
    if (info.retryAfterMs !== undefined) this.hold(info.retryAfterMs);
  }
}
