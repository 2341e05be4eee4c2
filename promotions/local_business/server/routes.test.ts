import { count } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { client, createHarness, type Harness, readError, readJson } from '../../../api/testing/harness'
import * as api from '../../../schema/api'
import { stores } from '../../../schema/db'
import { storeAnswer, storeImportResult } from '../answers'
import { storesCsv } from '../testing/server'

let h: Harness
const admin = () => client(h.app, { secretKey: h.a.secretKey })
const otherAdmin = () => client(h.app, { secretKey: h.b.secretKey })
const storeCount = async () => (await h.database.db.select({ n: count() }).from(stores))[0]!.n
const importCsv = (csv: string, who = admin()) => who.post('/api/v1/stores/import', csv, 'text/csv')

const lille = {
  ref: 'lille-01',
  name: 'Lille Grand Place',
  street: '1 Grand Place',
  city: 'Lille',
  postalCode: '59000',
  country: 'FR',
  lat: 50.6366,
  lng: 3.0635,
  phone: '+33 3 20 00 00 00',
  timeZone: 'Europe/Paris',
  hours: [{ days: [1, 2, 3, 4, 5, 6], open: '09:30', close: '19:00' }],
  specialDays: [{ date: '2026-12-24', spans: [{ open: '09:30', close: '16:00' }] }],
  services: ['pickup'],
  inventory: { 'SKU-1': 2 },
}

beforeAll(async () => {
  h = await createHarness()
})
afterAll(() => h.close())

describe('PUT /api/v1/stores', () => {
  it('creates a store by ref, then replaces it', async () => {
    const created = await admin().send('PUT', '/api/v1/stores', lille)
    expect(created.status, await created.clone().text()).toBe(201)
    const store = await readJson(created, storeAnswer)
    expect(store).toMatchObject({ ...lille, siteId: h.a.siteId })
    const replaced = await admin().send('PUT', '/api/v1/stores', {
      ...lille,
      name: 'Lille Centre',
      phone: undefined,
    })
    expect(replaced.status).toBe(200)
    const again = await readJson(replaced, storeAnswer)
    expect(again.id).toBe(store.id)
    expect(again.name).toBe('Lille Centre')
    expect(again.phone).toBeUndefined()
  })

  it.each([
    ['lat', { lat: 91 }],
    ['lng', { lng: -180.5 }],
    ['name', { name: 'Lille <script>alert(1)</script>' }],
    ['hours.0.open', { hours: [{ days: [1], open: '9h30', close: '19:00' }] }],
    ['hours.0.days.0', { hours: [{ days: [7], open: '09:30', close: '19:00' }] }],
    ['specialDays.0.date', { specialDays: [{ date: '2026-02-30', closed: true }] }],
    ['timeZone', { timeZone: 'Europe/Lille' }],
    ['inventory.bad sku', { inventory: { 'bad sku': 1 } }],
    ['ref', { ref: 'lille 02' }],
  ])('refuses a bad %s with its path, writing nothing', async (path, change) => {
    const before = await storeCount()
    const res = await admin().send('PUT', '/api/v1/stores', { ...lille, ref: 'lille-bad', ...change })
    expect(res.status).toBe(400)
    expect((await readError(res)).paths).toContain(path)
    expect(await storeCount()).toBe(before)
  })
})

describe('GET and DELETE /api/v1/stores', () => {
  it("lists, searches and reads a site's stores; another site's key finds none of them", async () => {
    const list = await readJson(await admin().get('/api/v1/stores?q=lille'), api.pageOf(storeAnswer))
    expect(list.data.map((s) => s.ref)).toEqual(['lille-01'])
    const id = list.data[0]!.id
    expect((await admin().get(`/api/v1/stores/${id}`)).status).toBe(200)
    expect((await otherAdmin().get(`/api/v1/stores/${id}`)).status).toBe(404)
    expect((await otherAdmin().delete(`/api/v1/stores/${id}`)).status).toBe(404)
    expect((await readJson(await otherAdmin().get('/api/v1/stores'), api.pageOf(storeAnswer))).data).toEqual(
      [],
    )
    expect((await admin().get(`/api/v1/stores/${id}`)).status).toBe(200)
  })

  it('deletes a store', async () => {
    const list = await readJson(await admin().get('/api/v1/stores?q=lille'), api.pageOf(storeAnswer))
    const id = list.data[0]!.id
    expect((await admin().delete(`/api/v1/stores/${id}`)).status).toBe(204)
    expect((await admin().get(`/api/v1/stores/${id}`)).status).toBe(404)
  })
})

describe('POST /api/v1/stores/import and the CSV export', () => {
  it('imports every row, then the same file again updates them', async () => {
    const first = await readJson(await importCsv(storesCsv), storeImportResult)
    expect(first).toEqual({ created: 5, updated: 0, rejected: [] })
    const second = await readJson(await importCsv(storesCsv), storeImportResult)
    expect(second).toEqual({ created: 0, updated: 5, rejected: [] })
    const list = await readJson(await admin().get('/api/v1/stores'), api.pageOf(storeAnswer))
    const oberkampf = list.data.find((s) => s.ref === 'paris-11')!
    expect(oberkampf.hours).toEqual([
      { days: [1, 2, 3, 4, 5], open: '09:00', close: '19:00' },
      { days: [5], open: '21:00', close: '02:00' },
    ])
    const marais = list.data.find((s) => s.ref === 'paris-04')!
    expect(marais.specialDays).toEqual([{ date: '2026-12-25', closed: true }])
    expect(marais.inventory).toEqual({ 'SKU-1': 3, 'SKU-2': 0 })
    expect(marais.services).toEqual(['pickup', 'parking'])
  })

  it('refuses a file with a wrong line whole, naming each line and column', async () => {
    const before = await storeCount()
    const lines = storesCsv.split('\r\n')
    const bad = [
      lines[0],
      lines[1]!.replace('paris-04', 'paris-new'),
      'lille-02,Lille,1 Grand Place,Lille,,59000,FR,95.1,3.06,,,Europe/Paris,Mo-Fr 9-18,,,',
      'lille-03,<b>Lille</b>,1 Grand Place,Lille,,59000,FR,50.6,3.06,,,Europe/Paris,,2026-13-01 closed,,',
    ].join('\n')
    const res = await importCsv(bad)
    expect(res.status).toBe(400)
    const error = await readError(res)
    const details = error.details as { line: number; path: string }[]
    expect(
      details
        .filter((d) => d.line === 3)
        .map((d) => d.path)
        .sort(),
    ).toEqual(['hours', 'lat'])
    expect(
      details
        .filter((d) => d.line === 4)
        .map((d) => d.path)
        .sort(),
    ).toEqual(['name', 'special_days'])
    expect(details.some((d) => d.line === 2)).toBe(false)
    expect(await storeCount()).toBe(before)
  })

  it('refuses an unknown column and a missing required one', async () => {
    const res = await importCsv('ref,name,colour\nx,y,z')
    expect(res.status).toBe(400)
    expect((await readError(res)).paths).toEqual([
      'header',
      'header',
      'header',
      'header',
      'header',
      'header',
      'header',
    ])
    expect((await importCsv('ref,name', admin())).status).toBe(400)
    expect((await admin().post('/api/v1/stores/import', storesCsv, 'application/json')).status).toBe(415)
  })

  it('exports what it imports, formula-safe, and the export imports again unchanged', async () => {
    await admin().send('PUT', '/api/v1/stores', { ...lille, ref: 'formula', name: '=HYPERLINK("x")' })
    const res = await admin().get('/api/v1/stores?format=csv')
    expect(res.headers.get('content-type')).toContain('text/csv')
    const csv = await res.text()
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`)
    expect(csv).toContain('paris-11,Oberkampf,12 rue Oberkampf,Paris,,75011,FR,48.8649,2.3752')
    expect(csv).toContain('"Mo,Tu,We,Th,Fr 09:00-19:00; Fr 21:00-02:00"')
    const withoutFormula = csv
      .split('\r\n')
      .filter((line) => !line.startsWith('formula,'))
      .join('\r\n')
    const again = await readJson(await importCsv(withoutFormula), storeImportResult)
    expect(again).toEqual({ created: 0, updated: 5, rejected: [] })
    const other = await readJson(
      await otherAdmin().get('/api/v1/stores?format=json'),
      api.pageOf(storeAnswer),
    )
    expect(other.data).toEqual([])
  })
})
