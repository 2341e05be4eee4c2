import { fork } from 'node:child_process'
import autocannon from 'autocannon'

const child = fork(new URL('./serve-server.ts', import.meta.url).pathname, [], {
  execArgv: [
    '--import',
    'tsx',
    ...(process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.PROF] : []),
  ],
})
const ready = await new Promise<any>((resolve) => child.once('message', resolve))
const base = `http://127.0.0.1:${ready.port}`
const run = async (title: string, o: any) => {
  const r = await autocannon({ connections: 50, duration: 4, ...o })
  console.log(title.padEnd(40), Math.round(r.requests.average), 'rps', r.non2xx, 'non2xx')
}
const post = (body: any) => ({
  url: `${base}/api/v1/serve`,
  method: 'POST',
  body: JSON.stringify(body),
  headers: { 'content-type': 'text/plain' },
})
await run(
  'warm',
  post({ site: ready.publishableKey, anonymousId: 'v', slots: ['home-hero', 'article-inline'] }),
)
if (!process.env.PROF) await run('hello', { url: `${base}/hello` })
if (!process.env.PROF)
  await run('serve 0 slots', post({ site: ready.publishableKey, anonymousId: 'v', slots: [] }))
await run(
  'serve demo slots',
  post({ site: ready.publishableKey, anonymousId: 'v', slots: ['home-hero', 'article-inline'] }),
)
child.disconnect()
