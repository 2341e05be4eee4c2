import { Buffer } from 'node:buffer'
import { type AddressInfo, createServer, type Socket } from 'node:net'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mailOutbox } from '../../schema/db'
import { MailError, type Mailer, outboxMailer } from '../ports/mail'
import { sendMail } from '../services/followup/mail'
import { fakeReceiver, type LogLine } from '../testing/followup'
import { createHarness, type Harness } from '../testing/harness'
import { HttpMailer, SmtpMailer } from './mail'

interface SmtpSession {
  auth?: { user: string; pass: string }
  from?: string
  to: string[]
  data: string
}

/**
 * Just enough of an SMTP server for nodemailer: EHLO (offering AUTH PLAIN/LOGIN, no STARTTLS), AUTH, MAIL,
 * RCPT (refusing addresses at reject.example), DATA, RSET, NOOP, QUIT. Each delivered message is kept.
 */
async function fakeSmtp(credentials: { user: string; pass: string }) {
  const messages: SmtpSession[] = []
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.setEncoding('utf8')
    const reply = (line: string) => socket.write(`${line}\r\n`)
    let session: SmtpSession = { to: [], data: '' }
    let buffer = ''
    let mode: 'command' | 'data' | 'auth-plain' | 'auth-user' | 'auth-pass' = 'command'
    let loginUser = ''
    const login = (user: string, pass: string) => {
      if (user === credentials.user && pass === credentials.pass) {
        session.auth = { user, pass }
        reply('235 2.7.0 Authentication successful')
      } else reply('535 5.7.8 Authentication credentials invalid')
      mode = 'command'
    }
    const plain = (encoded: string) => {
      const [, user = '', pass = ''] = Buffer.from(encoded, 'base64').toString('utf8').split('\u0000')
      login(user, pass)
    }
    const command = (line: string) => {
      const verb = line.split(' ')[0]!.toUpperCase()
      if (verb === 'EHLO' || verb === 'HELO') {
        socket.write('250-fake.smtp.local\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n')
      } else if (verb === 'AUTH') {
        const [, method, initial] = line.split(' ')
        if (method?.toUpperCase() === 'PLAIN') {
          if (initial) plain(initial)
          else {
            mode = 'auth-plain'
            reply('334 ')
          }
        } else if (method?.toUpperCase() === 'LOGIN') {
          mode = 'auth-user'
          reply('334 VXNlcm5hbWU6')
        } else reply('504 5.5.4 Unrecognized authentication type')
      } else if (verb === 'MAIL') {
        session.from = /<(.*)>/.exec(line)?.[1]
        reply('250 2.1.0 Ok')
      } else if (verb === 'RCPT') {
        const to = /<(.*)>/.exec(line)?.[1] ?? ''
        if (to.endsWith('@reject.example')) reply(`550 5.1.1 <${to}>: Recipient address rejected`)
        else {
          session.to.push(to)
          reply('250 2.1.5 Ok')
        }
      } else if (verb === 'DATA') {
        mode = 'data'
        reply('354 End data with <CR><LF>.<CR><LF>')
      } else if (verb === 'RSET') {
        session = { to: [], data: '', ...(session.auth ? { auth: session.auth } : {}) }
        reply('250 2.0.0 Ok')
      } else if (verb === 'NOOP') reply('250 2.0.0 Ok')
      else if (verb === 'QUIT') {
        reply('221 2.0.0 Bye')
        socket.end()
      } else reply('502 5.5.2 Command not recognized')
    }
    socket.on('data', (chunk: string) => {
      buffer += chunk
      for (;;) {
        if (mode === 'data') {
          const end = buffer.indexOf('\r\n.\r\n')
          if (end < 0) return
          session.data = buffer.slice(0, end)
          buffer = buffer.slice(end + 5)
          messages.push(session)
          session = { to: [], data: '', ...(session.auth ? { auth: session.auth } : {}) }
          mode = 'command'
          reply('250 2.0.0 Ok: queued')
          continue
        }
        const newline = buffer.indexOf('\r\n')
        if (newline < 0) return
        const line = buffer.slice(0, newline)
        buffer = buffer.slice(newline + 2)
        if (mode === 'auth-plain') plain(line)
        else if (mode === 'auth-user') {
          loginUser = Buffer.from(line, 'base64').toString('utf8')
          mode = 'auth-pass'
          reply('334 UGFzc3dvcmQ6')
        } else if (mode === 'auth-pass') login(loginUser, Buffer.from(line, 'base64').toString('utf8'))
        else command(line)
      }
    })
    reply('220 fake.smtp.local ESMTP')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    port,
    messages,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

let h: Harness
beforeAll(async () => {
  h = await createHarness()
})
afterAll(() => h.close())

const rowOf = async (id: string) =>
  (await h.database.db.select().from(mailOutbox).where(eq(mailOutbox.id, id)))[0]!

const mail = (to = 'lead@example.com') => ({
  siteId: h.a.siteId,
  to,
  subject: 'Thanks for signing up',
  text: 'Here is your guide.',
})

function memoryLog() {
  const lines: LogLine[] = []
  return {
    lines,
    log: {
      info: (message: string, fields?: Record<string, unknown>) =>
        lines.push({ level: 'info', message, fields }),
      error: (message: string, fields?: Record<string, unknown>) =>
        lines.push({ level: 'error', message, fields }),
    },
  }
}

describe('the outbox', () => {
  it('keeps the message as outbox when no mailer is configured', async () => {
    for (const mailer of [undefined, outboxMailer]) {
      const sent = await sendMail(h.database.db, mailer, mail())
      expect(sent.status).toBe('outbox')
      const row = await rowOf(sent.id)
      expect(row).toMatchObject({
        siteId: h.a.siteId,
        to: 'lead@example.com',
        subject: 'Thanks for signing up',
        text: 'Here is your guide.',
        status: 'outbox',
        transport: 'outbox',
        attempts: 0,
        sentAt: null,
      })
    }
  })

  it('records a mailer that throws something other than a MailError as failed, without its message', async () => {
    const broken: Mailer = {
      transport: 'http',
      send: async () => {
        throw new Error('token=abc123 leaked')
      },
    }
    const { lines, log } = memoryLog()
    const sent = await sendMail(h.database.db, broken, mail(), { log })
    expect(sent.status).toBe('failed')
    const row = await rowOf(sent.id)
    expect(row).toMatchObject({ status: 'failed', transport: 'http', attempts: 1, lastError: 'send failed' })
    expect(JSON.stringify(lines)).not.toContain('abc123')
    expect(JSON.stringify(lines)).not.toContain('lead@example.com')
  })
})

describe('HttpMailer', () => {
  it('POSTs {from,to,subject,text} to {baseUrl}/emails with the bearer key, and marks the row sent', async () => {
    const provider = await fakeReceiver([200])
    try {
      const mailer = new HttpMailer({ baseUrl: `${provider.url}/`, apiKey: 're_test_key_123456' })
      const sent = await sendMail(h.database.db, mailer, mail(), {
        from: 'Shop <hi@shop.example>',
        now: h.now.value,
      })
      expect(sent.status).toBe('sent')
      expect(provider.received).toHaveLength(1)
      const request = provider.received[0]!
      expect(request.method).toBe('POST')
      expect(request.url).toBe('/emails')
      expect(request.headers.authorization).toBe('Bearer re_test_key_123456')
      expect(request.headers['content-type']).toBe('application/json')
      expect(JSON.parse(request.body)).toEqual({
        from: 'Shop <hi@shop.example>',
        to: 'lead@example.com',
        subject: 'Thanks for signing up',
        text: 'Here is your guide.',
      })
      const row = await rowOf(sent.id)
      expect(row).toMatchObject({ status: 'sent', transport: 'http', attempts: 1, lastError: null })
      expect(row.sentAt?.getTime()).toBe(h.now.value)
    } finally {
      await provider.close()
    }
  })

  it('marks the row failed with the status and never the key when the provider refuses', async () => {
    const provider = await fakeReceiver([422])
    try {
      const mailer = new HttpMailer({ baseUrl: provider.url, apiKey: 're_secret_key_abcdef' })
      const { lines, log } = memoryLog()
      const sent = await sendMail(h.database.db, mailer, mail(), { log })
      expect(sent.status).toBe('failed')
      const row = await rowOf(sent.id)
      expect(row.status).toBe('failed')
      expect(row.attempts).toBe(1)
      expect(row.lastError).toMatch(/^HTTP 422/)
      expect(row.lastError).not.toContain('re_secret_key_abcdef')
      expect(JSON.stringify(lines)).not.toContain('re_secret_key_abcdef')
    } finally {
      await provider.close()
    }
  })

  it('gives up on a provider that does not answer within the timeout', async () => {
    const provider = await fakeReceiver([200])
    provider.state.hang = true
    try {
      const mailer = new HttpMailer({ baseUrl: provider.url, apiKey: 'k_123456', timeoutMs: 200 })
      const sent = await sendMail(h.database.db, mailer, mail())
      expect(sent.status).toBe('failed')
      expect((await rowOf(sent.id)).lastError).toMatch(/TimeoutError/)
    } finally {
      await provider.close()
    }
  })

  it('sends attachments as base64 with their name and type, and keeps them on the outbox row', async () => {
    const provider = await fakeReceiver([200])
    try {
      const mailer = new HttpMailer({ baseUrl: provider.url, apiKey: 're_test_key_123456' })
      const ics = 'BEGIN:VCALENDAR\r\nSUMMARY:Café\r\nEND:VCALENDAR\r\n'
      const attachments = [
        { filename: 'event.ics', contentType: 'text/calendar; method=PUBLISH', content: ics },
      ]
      const sent = await sendMail(h.database.db, mailer, { ...mail(), attachments })
      expect(sent.status).toBe('sent')
      const body = JSON.parse(provider.received[0]!.body)
      expect(body.attachments).toEqual([
        {
          filename: 'event.ics',
          content_type: 'text/calendar; method=PUBLISH',
          content: Buffer.from(ics, 'utf8').toString('base64'),
        },
      ])
      expect((await rowOf(sent.id)).attachments).toEqual(attachments)
    } finally {
      await provider.close()
    }
  })

  it('refuses attachments past the limits before writing anything', async () => {
    const before = await h.database.db.select().from(mailOutbox)
    const big = { filename: 'big.txt', contentType: 'text/plain', content: 'x'.repeat(300 * 1024) }
    await expect(sendMail(h.database.db, outboxMailer, { ...mail(), attachments: [big] })).rejects.toThrow(
      TypeError,
    )
    const badName = { filename: '../evil.ics', contentType: 'text/calendar', content: 'x' }
    await expect(
      sendMail(h.database.db, outboxMailer, { ...mail(), attachments: [badName] }),
    ).rejects.toThrow(TypeError)
    expect(await h.database.db.select().from(mailOutbox)).toHaveLength(before.length)
  })

  it('refuses a non-http base URL', () => {
    expect(() => new HttpMailer({ baseUrl: 'ftp://mail.example', apiKey: 'k' })).toThrow(TypeError)
  })
})

describe('SmtpMailer', () => {
  const credentials = { user: 'promo', pass: 's3cret-smtp-pässword' }

  it('delivers through a real SMTP conversation, logging in with the URL credentials', async () => {
    const smtp = await fakeSmtp(credentials)
    try {
      const url = `smtp://${credentials.user}:${encodeURIComponent(credentials.pass)}@127.0.0.1:${smtp.port}`
      const mailer = new SmtpMailer(url)
      const sent = await sendMail(h.database.db, mailer, mail(), { from: 'Shop <hi@shop.example>' })
      expect(sent.status).toBe('sent')
      expect(smtp.messages).toHaveLength(1)
      const message = smtp.messages[0]!
      expect(message.auth).toEqual(credentials)
      expect(message.from).toBe('hi@shop.example')
      expect(message.to).toEqual(['lead@example.com'])
      expect(message.data).toContain('Subject: Thanks for signing up')
      expect(message.data).toContain('To: lead@example.com')
      expect(message.data).toContain('Here is your guide.')
      const row = await rowOf(sent.id)
      expect(row).toMatchObject({ status: 'sent', transport: 'smtp', attempts: 1, lastError: null })
    } finally {
      await smtp.close()
    }
  })

  it('sends attachments as MIME parts with their name and type', async () => {
    const smtp = await fakeSmtp(credentials)
    try {
      const url = `smtp://${credentials.user}:${encodeURIComponent(credentials.pass)}@127.0.0.1:${smtp.port}`
      const attachments = [
        { filename: 'event.ics', contentType: 'text/calendar; method=PUBLISH', content: 'BEGIN:VCALENDAR' },
      ]
      const sent = await sendMail(h.database.db, new SmtpMailer(url), { ...mail(), attachments })
      expect(sent.status).toBe('sent')
      const data = smtp.messages[0]!.data
      expect(data).toMatch(/Content-Type: multipart\/mixed/)
      expect(data).toMatch(/Content-Type: text\/calendar; method=PUBLISH/)
      expect(data).toContain('filename=event.ics')
    } finally {
      await smtp.close()
    }
  })

  it('records a refused recipient as failed, with the reason and without the password', async () => {
    const smtp = await fakeSmtp(credentials)
    try {
      const url = `smtp://${credentials.user}:${encodeURIComponent(credentials.pass)}@127.0.0.1:${smtp.port}`
      const { lines, log } = memoryLog()
      const sent = await sendMail(h.database.db, new SmtpMailer(url), mail('nobody@reject.example'), { log })
      expect(sent.status).toBe('failed')
      const row = await rowOf(sent.id)
      expect(row.lastError).toContain('550')
      expect(smtp.messages).toHaveLength(0)
      const everything = JSON.stringify([row, lines])
      expect(everything).not.toContain(credentials.pass)
      expect(everything).not.toContain(encodeURIComponent(credentials.pass))
      // The log names the row, not the person.
      expect(JSON.stringify(lines)).not.toContain('nobody@reject.example')
      expect(lines[0]?.fields?.mailId).toBe(sent.id)
    } finally {
      await smtp.close()
    }
  })

  it('reports a wrong password as a failed send, not echoing the password', async () => {
    const smtp = await fakeSmtp(credentials)
    try {
      const wrong = 'wrong-password-42'
      const mailer = new SmtpMailer(`smtp://promo:${wrong}@127.0.0.1:${smtp.port}`)
      const error = await mailer.send({ from: 'a@b.example', ...mail() }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(MailError)
      expect((error as MailError).message).toContain('EAUTH')
      expect((error as MailError).message).not.toContain(wrong)
    } finally {
      await smtp.close()
    }
  })

  it('refuses a URL that is not smtp:// or smtps://', () => {
    expect(() => new SmtpMailer('http://mail.example')).toThrow(TypeError)
  })
})
