import { useState } from 'preact/hooks'
import { ApiError, type FieldProblem, type Site } from '../../../admin/api'
import { formatCount } from '../../../admin/format'
import { bodyLimits } from '../../../schema/limits'
import type { ImportResult } from '../answers'
import { contentApi } from './api'

const content = contentApi()

const header = 'url,title,image,summary,tags,category,published_at'
const example = `${header}\nhttps://shop.example/blog/winter-boots,Winter boots guide,,How to choose,boots;winter,guides,2025-01-15`

/** "url: must be an absolute http(s) URL; title: required". */
const problemsText = (errors: FieldProblem[]) =>
  errors.map(({ path, message }) => (path ? `${path}: ${message}` : message)).join('; ')

/**
 * A CSV file (or pasted text) into the catalog: the valid rows are stored together, each refused row is listed by
 * its line in the file with what is wrong, by column, so the file can be fixed and imported again.
 */
export function ContentImport({ site, onImported }: { site: Site; onImported: () => void }) {
  const [csv, setCsv] = useState('')
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<ImportResult>()
  const [problems, setProblems] = useState<FieldProblem[]>([])
  const [error, setError] = useState('')

  const readFile = async (event: Event) => {
    const file = (event.currentTarget as HTMLInputElement).files?.[0]
    if (!file) return
    setResult(undefined)
    setProblems([])
    setError('')
    try {
      setCsv(await file.text())
    } catch {
      setError('The file could not be read.')
    }
  }

  const submit = async (event: Event) => {
    event.preventDefault()
    setResult(undefined)
    setProblems([])
    setError('')
    if (!csv.trim()) {
      setError('Choose a CSV file or paste its text first.')
      return
    }
    if (new Blob([csv]).size > bodyLimits.admin) {
      setError(`The file is larger than ${bodyLimits.admin / 1024} KB: split it into several imports.`)
      return
    }
    setBusy(true)
    try {
      const answer = await content.importContent(site.id, csv)
      setResult(answer)
      if (answer.created + answer.updated > 0) onImported()
    } catch (caught) {
      if (caught instanceof ApiError && caught.fieldProblems.length > 0) {
        setError(caught.message)
        setProblems(caught.fieldProblems)
      } else setError(caught instanceof ApiError ? caught.message : 'The import failed.')
    } finally {
      setBusy(false)
    }
  }

  return (
    <form class="card" noValidate onSubmit={submit} aria-labelledby="import-title" aria-busy={busy}>
      <h2 id="import-title">Import a CSV file</h2>
      <p class="muted">
        The first line names the columns, in any order: <code>{header}</code>. <code>url</code> and{' '}
        <code>title</code> are required; separate tags with <code>;</code>; dates as <code>YYYY-MM-DD</code>{' '}
        or ISO 8601. An item with a URL already in the catalog is updated.
      </p>
      <div class="field">
        <label for="import-file">File</label>
        <input id="import-file" type="file" accept=".csv,text/csv,text/plain" onChange={readFile} />
      </div>
      <div class="field">
        <label for="import-text">CSV text</label>
        <textarea
          id="import-text"
          rows={6}
          spellcheck={false}
          wrap="off"
          placeholder={example}
          value={csv}
          onInput={(event) => setCsv(event.currentTarget.value)}
        />
        <p class="field-hint">A chosen file fills this box; it can be edited before importing.</p>
      </div>
      {error && (
        <div class="alert alert-error" role="alert">
          <p>{error}</p>
          {problems.length > 0 && (
            <ul>
              {problems.map(({ path, message }) => (
                <li key={`${path}:${message}`}>{problemsText([{ path, message }])}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {result && (
        <div class={result.rejected.length > 0 ? 'alert alert-error' : 'alert'} role="status">
          <p>
            {formatCount(result.created)} created, {formatCount(result.updated)} updated
            {result.rejected.length > 0
              ? `, ${formatCount(result.rejected.length)} ${result.rejected.length === 1 ? 'line' : 'lines'} refused:`
              : '.'}
          </p>
          {result.rejected.length > 0 && (
            <ul class="import-errors">
              {result.rejected.map((row) => (
                <li key={row.line}>
                  <strong>Line {row.line}</strong>: {problemsText(row.errors)}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <button type="submit" class="button button-primary" disabled={busy}>
        {busy ? 'Importing…' : 'Import'}
      </button>
    </form>
  )
}
