import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { ApiError, type FieldProblem } from '../../../admin/api'
import { Badge, type Tone } from '../../../admin/badge'
import { ListFooter, useCursorList } from '../../../admin/cursor-list'
import { errorsFrom, Field, NumberInput } from '../../../admin/field'
import { formatAmount, formatCount, formatMoney } from '../../../admin/format'
import { ReadOnlyNote, useMay } from '../../../admin/permissions'
import type { ScreenProps } from '../../../admin/promotion-type'
import { SitePicker } from '../../../admin/site-picker'
import { useTitle } from '../../../admin/title'
import { typedNumber } from '../../../admin/typed-number'
import { type Product, type ProductBody, type ProductImport, productsApi, productsCsvUrl } from './api'

const catalog = productsApi()
const pageSize = 50

type Availability = NonNullable<Product['availability']>
const availabilityText: Record<Availability, [string, Tone]> = {
  in_stock: ['In stock', 'good'],
  out_of_stock: ['Out of stock', 'bad'],
  preorder: ['Preorder', 'info'],
  backorder: ['Backorder', 'warn'],
}
const sourceText: Record<Product['source'], string> = {
  admin: 'Entered',
  csv: 'CSV import',
  page: 'Learned from pages',
}

/** The form's fields as typed, before they become the request. */
export interface ProductDraft {
  id: string
  title: string
  url: string
  imageUrl: string
  price: string
  currency: string
  availability: '' | Availability
  category: string
}
const emptyDraft: ProductDraft = {
  id: '',
  title: '',
  url: '',
  imageUrl: '',
  price: '',
  currency: '',
  availability: '',
  category: '',
}
const draftOf = (product: Product): ProductDraft => ({
  id: product.productId,
  title: product.title,
  url: product.url,
  imageUrl: product.imageUrl ?? '',
  price: product.price === null ? '' : String(product.price),
  currency: product.currency ?? '',
  availability: product.availability ?? '',
  category: product.category ?? '',
})

/**
 * The upsert a draft makes for the site: blank optional fields are left out (the product then has none), the
 * currency goes upper case, and a price that is not a number goes as typed for the API to name.
 */
export function productBody(draft: ProductDraft, siteId: string): ProductBody {
  const optional = (text: string) => (text.trim() === '' ? undefined : text.trim())
  const made: ProductBody = {
    siteId,
    id: draft.id.trim(),
    title: draft.title.trim(),
    url: draft.url.trim(),
    imageUrl: optional(draft.imageUrl),
    price: typedNumber(draft.price),
    currency: optional(draft.currency)?.toUpperCase(),
    availability: draft.availability || undefined,
    category: optional(draft.category),
  }
  return JSON.parse(JSON.stringify(made))
}

/** Adds a product, or edits one (its id stays: another id is another product); the API's refusals land on the fields. */
function ProductForm({
  siteId,
  editing,
  onSaved,
  onCancel,
}: {
  siteId: string
  editing: Product | undefined
  onSaved: (product: Product, created: boolean) => void
  onCancel: () => void
}) {
  const [draft, setDraft] = useState(() => (editing ? draftOf(editing) : emptyDraft))
  const [problems, setProblems] = useState<FieldProblem[]>([])
  const [problem, setProblem] = useState('')
  const [busy, setBusy] = useState(false)
  const errors = useMemo(() => errorsFrom(problems), [problems])
  const form = useRef<HTMLFormElement>(null)
  // Opened from a button above or in the table: the first field it can change takes the focus.
  useEffect(() => {
    form.current?.querySelector<HTMLInputElement>(editing ? '#field-title' : '#field-id')?.focus()
  }, [])
  const set = (key: keyof ProductDraft) => (value: string) => setDraft((now) => ({ ...now, [key]: value }))
  const text = (key: keyof ProductDraft, label: string, hint?: string, options: { max?: number } = {}) => (
    <Field path={key} label={label} errors={errors} {...(hint ? { hint } : {})}>
      {(control) => (
        <input
          {...control}
          type="text"
          inputMode={key === 'url' || key === 'imageUrl' ? 'url' : 'text'}
          spellcheck={false}
          maxLength={options.max ?? 2048}
          value={draft[key]}
          disabled={key === 'id' && editing !== undefined}
          onInput={(event) => set(key)(event.currentTarget.value)}
        />
      )}
    </Field>
  )

  const submit = async (event: Event) => {
    event.preventDefault()
    setBusy(true)
    setProblems([])
    setProblem('')
    try {
      const saved = await catalog.put(productBody(draft, siteId))
      onSaved(saved, editing === undefined)
    } catch (error) {
      setProblems(error instanceof ApiError ? error.fieldProblems : [])
      setProblem(error instanceof ApiError ? error.message : 'The product could not be saved.')
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      ref={form}
      class="card"
      aria-labelledby="product-form-title"
      onSubmit={(event) => void submit(event)}
      noValidate
    >
      <h2 id="product-form-title">{editing ? `Edit “${editing.title}”` : 'New product'}</h2>
      <div class="grid-2">
        {text('id', 'Product id (SKU)', 'What the shop’s events name in contents[].id.', { max: 100 })}
        {text('title', 'Title', undefined, { max: 200 })}
        {text('url', 'Page URL', 'https://…')}
        {text('imageUrl', 'Image URL', 'Optional.')}
        <Field path="price" label="Price" errors={errors} hint="Optional.">
          {(control) => (
            <NumberInput
              control={control}
              min={0}
              max={1_000_000_000}
              step="any"
              value={draft.price}
              onInput={set('price')}
            />
          )}
        </Field>
        {text('currency', 'Currency', 'Optional: EUR, USD…', { max: 3 })}
        <Field path="availability" label="Availability" errors={errors}>
          {(control) => (
            <select
              {...control}
              value={draft.availability}
              onChange={(event) => set('availability')(event.currentTarget.value)}
            >
              <option value="">Not said</option>
              {(Object.keys(availabilityText) as Availability[]).map((key) => (
                <option key={key} value={key}>
                  {availabilityText[key][0]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {text('category', 'Category', 'Optional.', { max: 200 })}
      </div>
      {problem && (
        <p class="alert alert-error" role="alert">
          {problem}
        </p>
      )}
      <div class="row">
        <button type="submit" class="button button-primary" disabled={busy}>
          {editing ? 'Save the product' : 'Add the product'}
        </button>
        <button type="button" class="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  )
}

/** A CSV file of products: the valid lines are stored, the others listed by line with what is wrong. */
function ImportProducts({ siteId, onImported }: { siteId: string; onImported: () => void }) {
  const file = useRef<HTMLInputElement>(null)
  const [result, setResult] = useState<ProductImport | undefined>()
  const [problem, setProblem] = useState('')
  const [busy, setBusy] = useState(false)

  const submit = async (event: Event) => {
    event.preventDefault()
    const chosen = file.current?.files?.[0]
    setResult(undefined)
    setProblem('')
    if (!chosen) {
      setProblem('Choose a CSV file first.')
      return
    }
    setBusy(true)
    try {
      const answer = await catalog.importCsv(siteId, await chosen.text())
      setResult(answer)
      if (answer.created + answer.updated > 0) onImported()
    } catch (error) {
      const fields = error instanceof ApiError ? error.fieldProblems : []
      const named = fields.map((field) => `${field.path}: ${field.message}`).join('; ')
      setProblem(
        error instanceof ApiError
          ? named && !error.message.includes(named)
            ? `${error.message} (${named})`
            : error.message
          : 'The file could not be imported.',
      )
    } finally {
      setBusy(false)
    }
  }

  return (
    <form class="card" aria-labelledby="import-title" onSubmit={(event) => void submit(event)} noValidate>
      <h2 id="import-title">Import a CSV file</h2>
      <div class="field">
        <label for="products-file">CSV file</label>
        <input
          id="products-file"
          ref={file}
          type="file"
          accept=".csv,text/csv"
          aria-describedby="products-file-hint"
        />
        <p class="field-hint" id="products-file-hint">
          A header row names the columns: id, title, url (required), image, price, currency, availability,
          category. A product whose id is already there is replaced.
        </p>
      </div>
      <button type="submit" class="button" disabled={busy}>
        Import
      </button>
      <div role="status">
        {result && (
          <p>
            {formatCount(result.created)} new, {formatCount(result.updated)} updated
            {result.rejected.length > 0 ? `, ${formatCount(result.rejected.length)} lines refused:` : '.'}
          </p>
        )}
      </div>
      {result && result.rejected.length > 0 && (
        <ul class="import-errors">
          {result.rejected.map((line) => (
            <li key={line.line}>
              Line {line.line}: {line.errors.map((error) => `${error.path}: ${error.message}`).join('; ')}
            </li>
          ))}
        </ul>
      )}
      {problem && (
        <p class="alert alert-error" role="alert">
          {problem}
        </p>
      )}
    </form>
  )
}

const priceText = (product: Product) =>
  product.price === null
    ? '—'
    : product.currency
      ? formatMoney(product.price, product.currency)
      : formatAmount(product.price)

function ProductsTable({
  products,
  onEdit,
  onDelete,
}: {
  products: Product[]
  /** Left out for a member whose role only reads: no Edit or Delete then. */
  onEdit?: (product: Product) => void
  onDelete?: (product: Product) => void
}) {
  return (
    <table class="table">
      <thead>
        <tr>
          <th scope="col">Product</th>
          <th scope="col">Id (SKU)</th>
          <th scope="col" class="numeric">
            Price
          </th>
          <th scope="col">Availability</th>
          <th scope="col">Category</th>
          <th scope="col">Source</th>
          <th scope="col">
            <span class="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {products.map((product) => {
          const availability = product.availability ? availabilityText[product.availability] : undefined
          return (
            <tr key={product.id}>
              <th scope="row">
                <a href={product.url} target="_blank" rel="noopener noreferrer">
                  {product.title}
                </a>
              </th>
              <td>
                <code>{product.productId}</code>
              </td>
              <td class="numeric">{priceText(product)}</td>
              <td>{availability ? <Badge tone={availability[1]}>{availability[0]}</Badge> : '—'}</td>
              <td>{product.category ?? '—'}</td>
              <td>{sourceText[product.source]}</td>
              <td>
                {onEdit && (
                  <button type="button" class="button button-small" onClick={() => onEdit(product)}>
                    Edit <span class="visually-hidden">{product.title}</span>
                  </button>
                )}{' '}
                {onDelete && (
                  <button type="button" class="button button-small" onClick={() => onDelete(product)}>
                    Delete <span class="visually-hidden">{product.title}</span>
                  </button>
                )}
              </td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}

/** One site's catalog: search, the table by pages, the add/edit form, delete, CSV import and export. */
function SiteProducts({ siteId }: { siteId: string }) {
  const canWrite = useMay('write')
  const [typed, setTyped] = useState('')
  const [q, setQ] = useState('')
  const [form, setForm] = useState<{ editing: Product | undefined } | undefined>()
  const [notice, setNotice] = useState('')
  const [error, setError] = useState('')
  const list = useCursorList<Product>(
    `${siteId}|${q}`,
    (cursor) => catalog.list({ siteId, q: q || undefined, limit: pageSize, cursor }),
    'The products could not be loaded.',
  )

  const remove = async (product: Product) => {
    if (!window.confirm(`Delete “${product.title}” (${product.productId}) from the catalog?`)) return
    setNotice('')
    setError('')
    try {
      await catalog.remove(product.id)
      list.setItems((items) => items.filter((other) => other.id !== product.id))
      setNotice(`“${product.title}” was deleted.`)
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : 'The product could not be deleted.')
    }
  }

  return (
    <>
      <div class="toolbar">
        <form
          class="field field-inline"
          aria-label="Search the products"
          onSubmit={(event) => {
            event.preventDefault()
            setQ(typed.trim())
          }}
        >
          <label for="products-search">Search</label>
          <input
            id="products-search"
            type="search"
            maxLength={200}
            placeholder="Title or id"
            value={typed}
            onInput={(event) => setTyped(event.currentTarget.value)}
          />
          <button type="submit" class="button">
            Search
          </button>
        </form>
        <div class="toolbar-end">
          <a class="button" href={productsCsvUrl({ siteId, q: q || undefined })} download="products.csv">
            Export CSV
          </a>{' '}
          {canWrite && (
            <button
              type="button"
              class="button button-primary"
              onClick={() => {
                setNotice('')
                setForm({ editing: undefined })
              }}
            >
              Add a product
            </button>
          )}
        </div>
      </div>
      <ReadOnlyNote capability="write" />
      {form && (
        <ProductForm
          key={form.editing?.id ?? 'new'}
          siteId={siteId}
          editing={form.editing}
          onCancel={() => setForm(undefined)}
          onSaved={(saved, created) => {
            setForm(undefined)
            setNotice(created ? `“${saved.title}” was added.` : `“${saved.title}” was saved.`)
            if (created) list.reload()
            else list.setItems((items) => items.map((item) => (item.id === saved.id ? saved : item)))
          }}
        />
      )}
      <p class="muted" role="status">
        {notice}
      </p>
      {error && (
        <p class="alert alert-error" role="alert">
          {error}
        </p>
      )}
      <section class="card table-card" aria-labelledby="products-title">
        <h2 id="products-title">{q ? `Products matching “${q}”` : 'Products'}</h2>
        {list.items.length > 0 ? (
          <ProductsTable
            products={list.items}
            {...(canWrite && {
              onEdit: (product: Product) => {
                setNotice('')
                setForm({ editing: product })
              },
              onDelete: (product: Product) => void remove(product),
            })}
          />
        ) : (
          !list.loading &&
          !list.error && (
            <p class="muted">
              {q
                ? 'No product matches.'
                : 'No products yet: add one, import a CSV file, or let product pages with the tag teach the catalog.'}
            </p>
          )
        )}
        <ListFooter list={list} loadingText="Loading products…" />
      </section>
      {canWrite && <ImportProducts siteId={siteId} onImported={list.reload} />}
    </>
  )
}

/**
 * The site's product catalog, which sales campaigns' product cards and carts read: entered here, imported from
 * CSV, or learned from product pages (an entry here wins over what pages say).
 */
export function ProductsPage({ sites, site, onSiteChange }: ScreenProps) {
  useTitle('Products')
  return (
    <div class="page">
      <header class="page-header">
        <h1 tabIndex={-1}>Products</h1>
      </header>
      <div class="toolbar">
        <SitePicker sites={sites} site={site} onChange={onSiteChange} />
      </div>
      {site ? (
        <SiteProducts key={site.id} siteId={site.id} />
      ) : (
        <p class="alert">This organization has no site yet, so it has no products.</p>
      )}
    </div>
  )
}
