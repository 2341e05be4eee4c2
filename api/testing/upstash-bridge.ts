import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Redis } from 'ioredis'

export interface UpstashBridge {
  url: string
  token: string
  close(): Promise<void>
}

type Command = (string | number | boolean)[]
type Entry = { result: unknown } | { error: string }

/**
 * Enough of Upstash's REST API to test the Upstash adapter against a real Redis: POST / runs one command,
 * /pipeline and /multi-exec run several; the Bearer token is checked. With `Upstash-Encoding: base64` (the
 * client's default) every string in a result is base64, as Upstash sends it.
 */
export async function startUpstashBridge(redisUrl: string): Promise<UpstashBridge> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 })
  const token = randomUUID()

  const run = async (command: Command): Promise<Entry> => {
    const [name, ...args] = command.map(String)
    try {
      return { result: await redis.call(name!, ...args) }
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) }
    }
  }

  const transaction = async (commands: Command[]): Promise<Entry[]> => {
    const multi = redis.multi()
    for (const [name, ...args] of commands.map((command) => command.map(String))) multi.call(name!, ...args)
    const results = (await multi.exec()) ?? []
    return results.map(([error, result]) => (error ? { error: error.message } : { result }))
  }

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    }
    if (request.headers.authorization !== `Bearer ${token}`) return reply(401, { error: 'Unauthorized' })
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    let body: unknown
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
    } catch {
      return reply(400, { error: 'ERR body is not JSON' })
    }
    const base64 = request.headers['upstash-encoding'] === 'base64'
    const encode = (entry: Entry): Entry =>
      'result' in entry && base64 ? { result: toBase64(entry.result) } : entry
    const path = (request.url ?? '/').replace(/\/+$/, '')
    if (path === '/pipeline' || path === '/multi-exec') {
      if (!Array.isArray(body) || !body.every(Array.isArray))
        return reply(400, { error: 'ERR expected commands' })
      const entries = path === '/pipeline' ? await Promise.all(body.map(run)) : await transaction(body)
      return reply(200, entries.map(encode))
    }
    if (path !== '' || !Array.isArray(body) || body.length === 0)
      return reply(400, { error: 'ERR expected a command' })
    const entry = await run(body)
    return reply('error' in entry ? 400 : 200, encode(entry))
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error) => {
      if (!response.headersSent) response.writeHead(500).end(JSON.stringify({ error: String(error) }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      await redis.quit()
    },
  }
}

function toBase64(value: unknown): unknown {
  if (typeof value === 'string') return Buffer.from(value, 'utf8').toString('base64')
  if (Array.isArray(value)) return value.map(toBase64)
  return value
}
