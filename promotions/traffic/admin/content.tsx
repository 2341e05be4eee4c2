import { useEffect, useMemo, useState } from 'preact/hooks'
import { ApiError, type FieldProblem, type Site } from '../../../admin/api'
import { Badge, type Tone } from '../../../admin/badge'
import { ListFooter, useCursorList } from '../../../admin/cursor-list'
import { errorsFrom, Field, fieldId } from '../../../admin/field'
import { formatCount, formatDateTime } from '../../../admin/format'
import { ReadOnlyNote, useMay } from '../../../admin/permissions'
import { SitePicker } from '../../../admin/site-picker'
import { useTitle } from '../../../admin/title'
import { limits } from '../../../schema/limits'
import type { ContentItem, ContentReview } from '../answers'
import { contentApi } from './api'
import { type ContentForm, contentBodyOf, contentFormFrom, emptyContentForm } from './content-form'
import { ContentImport } from './content-import'

const content = contentApi()

const pageSize = 50

const sourceLabels: Record<ContentItem['source'], string> = {
  admin: 'Added here',
  csv: 'CSV import',
  page: 'Learned from the page',
}

const reviewLabels: Record<ContentReview, [string, Tone]> = {
  pending: ['Waiting for approval', 'warn'],
  approved: ['Recommended', 'good'],
  rejected: ['Rejected', 'bad'],
}

interface Filters {
  q: string
  tag: string
  review: ContentReview | ''
}
const noFilters: Filters = { q: '', tag: '', review: '' }

interface ContentPageProps {
  sites: Site[]
  site: Site | undefined
  onSiteChange: (siteId: string) => void
}

/**
 * The content catalog recommendation rails choose from: searched and filtered by tag, items added, edited and
 * deleted one by one, or many at once from a CSV file.
 */
export function ContentPage({ sites, site, onSiteChange }: ContentPageProps) {
  useTitle('Content')
  const canWrite = useMay('write')
  const [filters, setFilters] = useState<Filters>(noFilters)
  const [draft, setDraft] = useState<Filters>(noFilters)
  const [form, setForm] = useState<ContentForm>(emptyContentForm)
  const [problems, setProblems] = useState<FieldProblem[]>([])
  const [formError, setFormError] = useState('')
  const [notice, setNotice] = useState('')
  const [busy, setBusy] = useState(false)
  const errors = useMemo(() => errorsFrom(problems), [problems])
  const list = useCursorList<ContentItem>(
    JSON.stringify([site?.id, filters]),
    (cursor) =>
      content.listContent({
        siteId: site?.id,
        q: filters.q,
        tag: filters.tag,
        ...(filters.review ? { review: filters.review } : {}),
        limit: pageSize,
        cursor,
      }),
    'The catalog could not be loaded.',
  )

  useEffect(() => {
    setForm(emptyContentForm())
    setProblems([])
  }, [site?.id])

  const update = (patch: Partial<ContentForm>) => setForm((current) => ({ ...current, ...patch }))
  const filtered = filters.q !== '' || filters.tag !== '' || filters.review !== ''

  const search = (event: Event) => {
    event.preventDefault()
    setFilters({ ...draft, q: draft.q.trim(), tag: draft.tag.trim() })
  }

  const edit = (item: ContentItem) => {
    setForm(contentFormFrom(item))
    setProblems([])
    setFormError('')
    setNotice('')
    requestAnimationFrame(() => document.getElementById(fieldId('title'))?.focus())
  }

  const cancel = () => {
    setForm(emptyContentForm())
    setProblems([])
    setFormError('')
  }

  const save = async (event: Event) => {
    event.preventDefault()
    if (!site) return
    setBusy(true)
    setFormError('')
    setNotice('')
    try {
      const saved = await content.saveContent(contentBodyOf(form, site.id))
      list.setItems((items) =>
        items.some((item) => item.id === saved.id)
          ? items.map((item) => (item.id === saved.id ? saved : item))
          : [saved, ...items],
      )
      setForm(emptyContentForm())
      setProblems([])
      setNotice(`Saved “${saved.title}”.`)
    } catch (caught) {
      const found = caught instanceof ApiError ? caught.fieldProblems : []
      setProblems(found)
      if (found.length === 0)
        setFormError(caught instanceof ApiError ? caught.message : 'The item could not be saved.')
    } finally {
      setBusy(false)
    }
  }

  const judge = async (item: ContentItem, verdict: 'approve' | 'reject') => {
    setNotice('')
    try {
      const judged = await content.reviewContent(item.id, verdict)
      list.setItems((items) => items.map((other) => (other.id === judged.id ? judged : other)))
      setNotice(
        verdict === 'approve'
          ? `Approved “${judged.title}”: rails may recommend it.`
          : `Rejected “${judged.title}”: rails will not recommend it.`,
      )
    } catch (caught) {
      setNotice(caught instanceof ApiError ? caught.message : 'The item could not be reviewed.')
    }
  }

  const remove = async (item: ContentItem) => {
    if (!window.confirm(`Delete “${item.title}” from the catalog? Rails stop recommending it.`)) return
    setNotice('')
    try {
      await content.deleteContent(item.id)
      list.setItems((items) => items.filter((other) => other.id !== item.id))
      if (form.id === item.id) cancel()
      setNotice(`Deleted “${item.title}”.`)
    } catch (caught) {
      setNotice(caught instanceof ApiError ? caught.message : 'The item could not be deleted.')
    }
  }

  return (
    <div class="page">
      <header class="page-header">
        <h1 tabIndex={-1}>Content</h1>
      </header>
      <ReadOnlyNote capability="write" />
      <div class="toolbar">
        <SitePicker sites={sites} site={site} onChange={onSiteChange} />
        <p class="muted" role="status">
          {notice}
        </p>
      </div>
      {!site && <p class="alert">This organization has no site yet, so it has no catalog.</p>}

      <form class="card filters" aria-label="Search the catalog" noValidate onSubmit={search}>
        <div class="field">
          <label for="content-q">Title or address contains</label>
          <input
            id="content-q"
            type="search"
            spellcheck={false}
            value={draft.q}
            onInput={(event) => setDraft({ ...draft, q: event.currentTarget.value })}
          />
        </div>
        <div class="field">
          <label for="content-tag">Tag</label>
          <input
            id="content-tag"
            type="search"
            spellcheck={false}
            value={draft.tag}
            onInput={(event) => setDraft({ ...draft, tag: event.currentTarget.value })}
          />
        </div>
        <div class="field">
          <label for="content-review">Review</label>
          <select
            id="content-review"
            value={draft.review}
            onChange={(event) => {
              const review = event.currentTarget.value as Filters['review']
              setDraft({ ...draft, review })
              setFilters({ ...filters, review })
            }}
          >
            <option value="">All items</option>
            <option value="pending">Waiting for approval</option>
            <option value="approved">Recommended</option>
            <option value="rejected">Rejected</option>
          </select>
        </div>
        <div class="row">
          <button type="submit" class="button">
            Search
          </button>
          {filtered && (
            <button
              type="button"
              class="button button-quiet"
              onClick={() => {
                setDraft(noFilters)
                setFilters(noFilters)
              }}
            >
              Clear
            </button>
          )}
        </div>
      </form>

      {list.items.length > 0 ? (
        <div class="card table-card">
          <table class="table">
            <caption class="visually-hidden">{filtered ? 'Matching catalog items' : 'Catalog items'}</caption>
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Tags</th>
                <th scope="col">Category</th>
                <th scope="col">Source</th>
                <th scope="col">Review</th>
                <th scope="col">Published</th>
                <th scope="col" class="numeric">
                  Impressions
                </th>
                <th scope="col" class="numeric">
                  Clicks
                </th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((item) => (
                <tr key={item.id}>
                  <th scope="row">
                    <span class="item-title">{item.title}</span>
                    <span class="item-url muted">{item.url}</span>
                  </th>
                  <td>
                    {item.tags.map((tag) => (
                      <code key={tag} class="tag">
                        {tag}
                      </code>
                    ))}
                  </td>
                  <td>{item.category ?? ''}</td>
                  <td>{sourceLabels[item.source] ?? item.source}</td>
                  <td>
                    <Badge tone={reviewLabels[item.review]?.[1] ?? 'neutral'}>
                      {reviewLabels[item.review]?.[0] ?? item.review}
                    </Badge>
                  </td>
                  <td>
                    {item.publishedAt ? (
                      <time dateTime={item.publishedAt}>{formatDateTime(item.publishedAt)}</time>
                    ) : (
                      ''
                    )}
                  </td>
                  <td class="numeric">{formatCount(item.impressions)}</td>
                  <td class="numeric">{formatCount(item.clicks)}</td>
                  <td>
                    <div class="row row-tight" hidden={!canWrite}>
                      {item.review !== 'approved' && (
                        <button
                          type="button"
                          class="button button-small"
                          onClick={() => judge(item, 'approve')}
                        >
                          Approve <span class="visually-hidden">{item.title}</span>
                        </button>
                      )}
                      {item.review !== 'rejected' && item.source === 'page' && (
                        <button
                          type="button"
                          class="button button-small button-danger"
                          onClick={() => judge(item, 'reject')}
                        >
                          Reject <span class="visually-hidden">{item.title}</span>
                        </button>
                      )}
                      <button type="button" class="button button-small" onClick={() => edit(item)}>
                        Edit <span class="visually-hidden">{item.title}</span>
                      </button>
                      <button
                        type="button"
                        class="button button-small button-danger"
                        onClick={() => remove(item)}
                      >
                        Delete <span class="visually-hidden">{item.title}</span>
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        site &&
        !list.loading &&
        !list.error && (
          <div class="card empty">
            <h2>{filtered ? 'No items match' : 'The catalog is empty'}</h2>
            <p class="muted">
              {filtered
                ? 'Try other words or another tag.'
                : 'Add items below, import a CSV file, or let the SDK learn pages from their Open Graph tags.'}
            </p>
          </div>
        )
      )}

      <ListFooter list={list} loadingText="Loading the catalog…" />

      {site && canWrite && (
        <form class="card" noValidate onSubmit={save} aria-labelledby="item-form-title" aria-busy={busy}>
          <h2 id="item-form-title">{form.id ? 'Edit item' : 'Add an item'}</h2>
          {formError && (
            <p class="alert alert-error" role="alert">
              {formError}
            </p>
          )}
          <Field
            path="url"
            label="Address (URL)"
            errors={errors}
            hint={
              form.id
                ? 'The item’s key: another address would be another item.'
                : 'An item with this address already in the catalog is updated.'
            }
          >
            {(control) => (
              <input
                {...control}
                type="url"
                inputMode="url"
                spellcheck={false}
                readOnly={Boolean(form.id)}
                maxLength={limits.url}
                value={form.url}
                onInput={(event) => update({ url: event.currentTarget.value })}
              />
            )}
          </Field>
          <Field path="title" label="Title" errors={errors}>
            {(control) => (
              <input
                {...control}
                type="text"
                maxLength={limits.name}
                value={form.title}
                onInput={(event) => update({ title: event.currentTarget.value })}
              />
            )}
          </Field>
          <Field path="summary" label="Summary (optional)" errors={errors}>
            {(control) => (
              <textarea
                {...control}
                rows={3}
                maxLength={limits.summary}
                value={form.summary}
                onInput={(event) => update({ summary: event.currentTarget.value })}
              />
            )}
          </Field>
          <div class="grid-2">
            <Field path="imageUrl" label="Image URL (optional)" errors={errors}>
              {(control) => (
                <input
                  {...control}
                  type="url"
                  inputMode="url"
                  spellcheck={false}
                  maxLength={limits.url}
                  value={form.imageUrl}
                  onInput={(event) => update({ imageUrl: event.currentTarget.value })}
                />
              )}
            </Field>
            <Field path="category" label="Category (optional)" errors={errors}>
              {(control) => (
                <input
                  {...control}
                  type="text"
                  maxLength={limits.shortText}
                  value={form.category}
                  onInput={(event) => update({ category: event.currentTarget.value })}
                />
              )}
            </Field>
            <Field
              path="tags"
              label="Tags (optional)"
              errors={errors}
              hint={`Separated by commas, up to ${limits.tags}.`}
            >
              {(control) => (
                <input
                  {...control}
                  type="text"
                  spellcheck={false}
                  value={form.tags}
                  onInput={(event) => update({ tags: event.currentTarget.value })}
                />
              )}
            </Field>
            <Field
              path="publishedAt"
              label="Published (optional)"
              errors={errors}
              hint="YYYY-MM-DD, or an ISO 8601 time with its offset."
            >
              {(control) => (
                <input
                  {...control}
                  type="text"
                  spellcheck={false}
                  value={form.publishedAt}
                  onInput={(event) => update({ publishedAt: event.currentTarget.value })}
                />
              )}
            </Field>
          </div>
          <div class="row">
            <button type="submit" class="button button-primary" disabled={busy}>
              {busy ? 'Saving…' : form.id ? 'Save item' : 'Add item'}
            </button>
            {form.id && (
              <button type="button" class="button" onClick={cancel}>
                Cancel
              </button>
            )}
          </div>
        </form>
      )}

      {site && canWrite && <ContentImport site={site} onImported={list.reload} />}
    </div>
  )
}
