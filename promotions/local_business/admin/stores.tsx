import { useEffect, useState } from 'preact/hooks'
import { ApiError } from '../../../admin/api'
import { ReadOnlyNote, useMay } from '../../../admin/permissions'
import type { ScreenProps } from '../../../admin/promotion-type'
import { SitePicker } from '../../../admin/site-picker'
import { useTitle } from '../../../admin/title'
import { type OpenState, openState } from '../hours'
import { hoursText, parseHoursText, parseSpecialText, specialText } from '../store'
import { type StoreAnswer, storesApi, storesCsvUrl } from './api'

const stores = storesApi()
const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

/** "Open now, closes at 19:00" or "Closed, opens Monday 09:00", as the locator says it (in English here). */
export function openText(state: OpenState): string {
  if (state.open)
    return state.closesAt ? `Open now, closes at ${state.closesAt.time}` : 'Open now, around the clock'
  return state.opensAt ? `Closed, opens ${weekdays[state.opensAt.weekday]} ${state.opensAt.time}` : 'Closed'
}

/** Each wrong line of a refused import, from the error's details. */
const lineProblems = (error: ApiError) =>
  (Array.isArray(error.details) ? error.details : []).map(
    (d: { line?: number; path?: string; message?: string }) =>
      `${d.line ? `Line ${d.line}: ` : ''}${d.path ? `${d.path}: ` : ''}${d.message ?? ''}`,
  )

/**
 * A store's hours as the CSV writes them, edited as text, with what the locator would say right now in the
 * store's own time zone, before anything is saved.
 */
export function HoursEditor({ store, onSaved }: { store: StoreAnswer; onSaved: () => void }) {
  const canWrite = useMay('write')
  const [hours, setHours] = useState(hoursText(store.hours))
  const [special, setSpecial] = useState(specialText(store.specialDays))
  const [timeZone, setTimeZone] = useState(store.timeZone)
  const [error, setError] = useState('')
  const parsedHours = parseHoursText(hours)
  const parsedSpecial = parseSpecialText(special)
  let preview = ''
  if ('error' in parsedHours) preview = `Hours: ${parsedHours.error}`
  else if ('error' in parsedSpecial) preview = `Special days: ${parsedSpecial.error}`
  else {
    try {
      preview = openText(
        openState({ timeZone, weekly: parsedHours.spans, special: parsedSpecial.days }, new Date()),
      )
    } catch {
      preview = 'Unknown time zone'
    }
  }
  const save = async (event: Event) => {
    event.preventDefault()
    if ('error' in parsedHours || 'error' in parsedSpecial) return
    const { id: _id, createdAt: _c, updatedAt: _u, ...rest } = store
    try {
      await stores.saveStore({ ...rest, timeZone, hours: parsedHours.spans, specialDays: parsedSpecial.days })
      setError('')
      onSaved()
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : 'The hours could not be saved.')
    }
  }
  return (
    <form class="card" onSubmit={save} aria-label={`Hours of ${store.name}`}>
      <h2>Hours of {store.name}</h2>
      <fieldset class="plain" disabled={!canWrite}>
        <div class="field">
          <label for="hours-week">Every week</label>
          <input id="hours-week" value={hours} onInput={(e) => setHours(e.currentTarget.value)} />
          <p class="field-hint">
            Like Mo-Fr 09:00-19:00; Sa 10:00-13:00. A close before the open runs past midnight.
          </p>
        </div>
        <div class="field">
          <label for="hours-special">Special days</label>
          <input id="hours-special" value={special} onInput={(e) => setSpecial(e.currentTarget.value)} />
          <p class="field-hint">Like 2026-12-25 closed; 2026-12-24 09:00-16:00.</p>
        </div>
        <div class="field">
          <label for="hours-zone">Time zone</label>
          <input id="hours-zone" value={timeZone} onInput={(e) => setTimeZone(e.currentTarget.value)} />
        </div>
      </fieldset>
      <p role="status" class="hours-preview">
        Right now: {preview}
      </p>
      {error && (
        <p class="alert alert-error" role="alert">
          {error}
        </p>
      )}
      {canWrite && (
        <button type="submit" class="button button-primary">
          Save hours
        </button>
      )}
    </form>
  )
}

/** The site's stores: searched, their hours edited with a preview of "open now", imported and exported as CSV. */
export function StoresPage({ sites, site, onSiteChange }: ScreenProps) {
  useTitle('Stores')
  const canWrite = useMay('write')
  const [q, setQ] = useState('')
  const [rows, setRows] = useState<StoreAnswer[]>([])
  const [editing, setEditing] = useState<StoreAnswer>()
  const [csv, setCsv] = useState('')
  const [notice, setNotice] = useState('')
  const [problems, setProblems] = useState<string[]>([])
  const load = () =>
    stores.listStores(site?.id, q).then(
      (page) => setRows(page.data),
      () => setNotice('The stores could not be loaded.'),
    )
  useEffect(() => {
    load()
  }, [site?.id, q])

  const importCsv = async (event: Event) => {
    event.preventDefault()
    if (!site || !csv.trim()) return
    setProblems([])
    try {
      const done = await stores.importStores(site.id, csv)
      setNotice(`${done.created} created, ${done.updated} updated.`)
      load()
    } catch (caught) {
      setNotice(caught instanceof ApiError ? caught.message : 'The import failed.')
      if (caught instanceof ApiError) setProblems(lineProblems(caught))
    }
  }
  const remove = async (store: StoreAnswer) => {
    if (!confirm(`Delete ${store.name}?`)) return
    await stores.deleteStore(store.id).catch(() => setNotice('The store could not be deleted.'))
    load()
  }

  return (
    <section>
      <h1>Stores</h1>
      <ReadOnlyNote capability="write" />
      <SitePicker sites={sites} site={site} onChange={onSiteChange} />
      <div class="field field-inline">
        <label for="stores-q">Search</label>
        <input id="stores-q" type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        <a class="button" href={storesCsvUrl(site?.id)} download="stores.csv">
          Export CSV
        </a>
      </div>
      <table class="table">
        <thead>
          <tr>
            <th>Ref</th>
            <th>Name</th>
            <th>City</th>
            <th>Now</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((store) => (
            <tr key={store.id}>
              <td>{store.ref}</td>
              <td>{store.name}</td>
              <td>
                {store.postalCode} {store.city}
              </td>
              <td>
                {openText(
                  openState(
                    { timeZone: store.timeZone, weekly: store.hours, special: store.specialDays },
                    new Date(),
                  ),
                )}
              </td>
              <td>
                <button type="button" class="button" onClick={() => setEditing(store)}>
                  Hours
                </button>{' '}
                {canWrite && (
                  <button type="button" class="button" onClick={() => remove(store)}>
                    Delete
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing && <HoursEditor key={editing.id} store={editing} onSaved={load} />}
      <form class="card" onSubmit={importCsv} hidden={!canWrite}>
        <h2>Import a CSV file</h2>
        <p class="muted">
          Columns: ref, name, street, city, region, postal_code, country, lat, lng, phone, url, time_zone,
          hours, special_days, services, inventory (SKU:units;…). A store whose ref exists is replaced; a file
          with a wrong line is refused whole.
        </p>
        <textarea rows={6} aria-label="CSV text" value={csv} onInput={(e) => setCsv(e.currentTarget.value)} />
        <button type="submit" class="button button-primary">
          Import
        </button>
      </form>
      {notice && <p role="status">{notice}</p>}
      {problems.length > 0 && (
        <ul class="alert alert-error">
          {problems.map((text) => (
            <li key={text}>{text}</li>
          ))}
        </ul>
      )}
    </section>
  )
}
