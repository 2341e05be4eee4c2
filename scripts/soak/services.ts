/**
 * The soak's own PostgreSQL cluster and Redis server, on free ports under a temporary directory, so it can stop,
 * kill and restart them without touching anything else on the machine. PostgreSQL refuses to run as root, so as
 * root the cluster belongs to the `postgres` user and its tools run through `runuser`.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer, Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `promo-soak-${label}-`))
}

/** A PostgreSQL tool of the newest installed major version, else whatever is on the PATH. */
function pgTool(name: string): string {
  const root = '/usr/lib/postgresql'
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a))
    for (const version of versions) {
      const path = join(root, version, 'bin', name)
      if (existsSync(path)) return path
    }
  }
  return existsSync(`/usr/local/bin/${name}`) ? `/usr/local/bin/${name}` : name
}

const asRoot = process.getuid?.() === 0

export class PrivatePostgres {
  readonly url: string
  private readonly data: string

  private constructor(
    private readonly dir: string,
    readonly port: number,
  ) {
    this.data = join(dir, 'data')
    this.url = `postgres://postgres@127.0.0.1:${port}/postgres`
  }

  /** initdb into a new temporary directory, trust authentication, a free port; not started yet. */
  static async create(): Promise<PrivatePostgres> {
    const dir = tempDir('pg')
    const pg = new PrivatePostgres(dir, await freePort())
    if (asRoot) {
      const { stdout } = await run('id', ['-u', 'postgres'])
      const { stdout: group } = await run('id', ['-g', 'postgres'])
      chownSync(dir, Number(stdout.trim()), Number(group.trim()))
    }
    await pg.tool('initdb', ['-D', pg.data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'])
    return pg
  }

  private tool(name: string, args: string[]) {
    const [command, all] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', pgTool(name), ...args]]
      : [pgTool(name), args]
    return run(command, all, { cwd: this.dir, maxBuffer: 16 * 1024 * 1024 })
  }

  /** Starts the cluster and returns once it accepts connections. */
  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c max_connections=60`
    await this.tool('pg_ctl', [
      '-D',
      this.data,
      '-l',
      join(this.dir, 'log'),
      '-o',
      options,
      '-w',
      '-t',
      '60',
      'start',
    ])
  }

  /** A fast shutdown: open sessions are ended, as a restart by an operator does. */
  async stop(): Promise<void> {
    await this.tool('pg_ctl', ['-D', this.data, '-m', 'fast', '-w', '-t', '60', 'stop'])
  }

  async destroy(): Promise<void> {
    await this.tool('pg_ctl', ['-D', this.data, '-m', 'immediate', '-w', 'stop']).catch(() => {})
    rmSync(this.dir, { recursive: true, force: true })
  }
}

export class PrivateRedis {
  private child?: ChildProcess

  private constructor(readonly port: number) {}

  static async create(): Promise<PrivateRedis> {
    return new PrivateRedis(await freePort())
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`
  }

  /** Starts redis-server (nothing saved to disk) and returns once it answers PING. */
  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    )
    this.child = child
    const deadline = Date.now() + 10_000
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`)
      if (await ping(this.port)) return
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    throw new Error('redis-server did not start within 10 s')
  }

  /** SIGKILL, as a crash or an OOM kill would: no goodbye to the clients. */
  async kill(): Promise<void> {
    const child = this.child
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGKILL')
    await exited
  }

  /** For an exit handler, where nothing can be awaited. */
  killNow(): void {
    if (this.child && this.child.exitCode === null) this.child.kill('SIGKILL')
  }
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket()
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(500, () => done(false))
    socket.once('error', () => done(false))
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')))
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'))
  })
}
