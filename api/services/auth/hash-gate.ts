/**
 * At most `running` password hashes at once in this process and at most `waiting` in line behind them; past that
 * `run` answers `undefined` at once (the caller answers 429), so a burst of logins costs a bounded queue rather
 * than memory and threads for every request. On Node the hashes run on libuv's threadpool (4 threads unless
 * UV_THREADPOOL_SIZE says otherwise), which file reads and DNS share: two leaves them room.
 */
export class HashGate {
  private active = 0
  private readonly line: (() => void)[] = []

  constructor(
    private readonly running = 2,
    private readonly waiting = 16,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T | undefined> {
    if (this.active >= this.running) {
      if (this.line.length >= this.waiting) return undefined
      await new Promise<void>((resolve) => this.line.push(resolve))
    } else this.active++
    try {
      return await work()
    } finally {
      const next = this.line.shift()
      if (next) next()
      else this.active--
    }
  }
}
