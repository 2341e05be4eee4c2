import type { Logger } from '../core/log'

/** The log port: where the app writes what it does and what went wrong (JSON lines: core/log.ts's jsonLogger). */
export type { Logger }

/** A logger that drops everything: tests, tools, and apps built without one. */
export const silentLogger: Logger = { infoEnabled: false, info() {}, error() {} }
