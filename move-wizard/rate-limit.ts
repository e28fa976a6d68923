/**
 * Counts requests per client address in fixed one-minute windows. The table is bounded:
 * when it is full, expired windows are swept, and if it is still full new clients are refused
 * rather than letting a flood of addresses grow the wizard's memory.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>()

  constructor(
    private readonly limitPerWindow: number,
    private readonly windowMs = 60_000,
    private readonly maxClients = 50_000
  ) {}

  /** True when this client may go on; counts the request. */
  allow(client: string, now = Date.now()): boolean {
    let window = this.windows.get(client)
    if (!window || now - window.start >= this.windowMs) {
      if (!window && this.windows.size >= this.maxClients) {
        this.sweep(now)
        if (this.windows.size >= this.maxClients) return false
      }
      window = { start: now, count: 0 }
      this.windows.set(client, window)
    }
    window.count += 1
    return window.count <= this.limitPerWindow
  }

  /** Seconds until this client's window ends (for Retry-After). */
  retryAfter(client: string, now = Date.now()): number {
    const window = this.windows.get(client)
    return window ? Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000)) : 1
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) {
      if (now - window.start >= this.windowMs) this.windows.delete(key)
    }
  }
}
