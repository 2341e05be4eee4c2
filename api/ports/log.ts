/** Where the app writes what it does and what went wrong: JSON lines on Node and Workers (adapters/log.ts). */
export interface Logger {
  /** False when info lines are dropped (PROMO_LOG=silent), so callers can skip building them. */
  readonly infoEnabled?: boolean
  info(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

export const silentLogger: Logger = { infoEnabled: false, info() {}, error() {} }
