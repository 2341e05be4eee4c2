import { useEffect, useMemo, useState } from 'preact/hooks'
import { ApiError, api, type FieldProblem } from '../../../admin/api'
import { Badge } from '../../../admin/badge'
import { fromLocalInput } from '../../../admin/campaign-form'
import { ListFooter, useCursorList } from '../../../admin/cursor-list'
import { errorsFrom, Field, NumberInput } from '../../../admin/field'
import { formatCount, formatDateTime, formatMoney } from '../../../admin/format'
import { ReadOnlyNote, useMay } from '../../../admin/permissions'
import type { ScreenProps } from '../../../admin/promotion-type'
import { SitePicker } from '../../../admin/site-picker'
import { useTitle } from '../../../admin/title'
import { typedNumber } from '../../../admin/typed-number'
import type { CampaignType } from '../../../schema/campaign'
import { type CreateCodesBody, type PromoCode, promoCodesApi, type Redemption } from './api'

const codesApi = promoCodesApi()
const pageSize = 50

/** The types whose campaigns have promo codes (`GET /types`); sales alone when the server does not say. */
async function codeTypes(): Promise<CampaignType[]> {
  const answer = await api.listTypes().catch(() => undefined)
  if (!answer?.data.some((type) => 'promoCodes' in type)) return ['sales']
  return answer.data.filter((type) => type.promoCodes).map((type) => type.type)
}

/** A site's campaigns with promo codes (sales, remarketing's incentive), newest first, for the campaign picker. */
function useCodeCampaigns(siteId: string | undefined) {
  const [campaigns, setCampaigns] = useState<{ id: string; name: string }[] | undefined>()
  useEffect(() => {
    setCampaigns(undefined)
    if (!siteId) return
    let current = true
    codeTypes()
      .then((types) => Promise.all(types.map((type) => api.listCampaigns({ siteId, type, limit: 100 }))))
      .then(
        (pages) => {
          const rows = pages.flatMap((page) => page.data)
          rows.sort((a, b) => b.createdAt.localeCompare(a.createdAt))
          if (current) setCampaigns(rows.map(({ id, name }) => ({ id, name })))
        },
        () => current && setCampaigns([]),
      )
    return () => {
      current = false
    }
  }, [siteId])
  return campaigns
}

/** The form's fields as typed, before they become the request. */
interface Draft {
  kind: 'shared' | 'pool'
  code: string
  pool: string
  prefix: string
  expiresAt: string
  minOrderValue: string
  maxUses: string
  maxUsesPerCustomer: string
}
const emptyDraft: Draft = {
  kind: 'shared',
  code: '',
  pool: '100',
  prefix: '',
  expiresAt: '',
  minOrderValue: '',
  maxUses: '',
  maxUsesPerCustomer: '',
}

/** The request a draft makes: blank fields are left out, and what is not a number goes as typed for the API to name. */
export function codesBody(draft: Draft): CreateCodesBody {
  const rules = {
    expiresAt: fromLocalInput(draft.expiresAt),
    minOrderValue: typedNumber(draft.minOrderValue),
    maxUses: typedNumber(draft.maxUses),
    maxUsesPerCustomer: typedNumber(draft.maxUsesPerCustomer),
  }
  const made: CreateCodesBody =
    draft.kind === 'shared'
      ? { code: draft.code.trim(), ...rules }
      : { pool: typedNumber(draft.pool), prefix: draft.prefix.trim() || undefined, ...rules }
  return JSON.parse(JSON.stringify(made))
}

/** Makes a shared code or a pool of unique codes for the campaign, with their rules; the API's refusals land on the fields. */
function CreateCodes({ campaignId, onCreated }: { campaignId: string; onCreated: (count: number) => void }) {
  const [draft, setDraft] = useState(emptyDraft)
  const [problems, setProblems] = useState<FieldProblem[]>([])
  const [problem, setProblem] = useState('')
  const [busy, setBusy] = useState(false)
  const errors = useMemo(() => errorsFrom(problems), [problems])
  const set = (key: keyof Draft) => (value: string) => setDraft((now) => ({ ...now, [key]: value }))
  const text = (
    key: keyof Draft,
    label: string,
    hint?: string,
    kind: 'text' | 'number' | 'datetime-local' = 'text',
  ) => (
    <Field path={key} label={label} errors={errors} {...(hint ? { hint } : {})}>
      {(control) =>
        kind === 'number' ? (
          <NumberInput
            control={control}
            min={0}
            max={1_000_000_000}
            step="any"
            value={draft[key]}
            onInput={set(key)}
          />
        ) : kind === 'datetime-local' ? (
          <input
            {...control}
            type="datetime-local"
            value={draft[key]}
            onInput={(event) => set(key)(event.currentTarget.value)}
          />
        ) : (
          <input
            {...control}
            type="text"
            spellcheck={false}
            maxLength={50}
            value={draft[key]}
            onInput={(event) => set(key)(event.currentTarget.value)}
          />
        )
      }
    </Field>
  )

  const submit = async (event: Event) => {
    event.preventDefault()
    setBusy(true)
    setProblems([])
    setProblem('')
    try {
      const made = await codesApi.createCodes(campaignId, codesBody(draft))
      setDraft(emptyDraft)
      onCreated(made.data.length)
    } catch (error) {
      const fields = error instanceof ApiError ? error.fieldProblems : []
      setProblems(fields)
      setProblem(error instanceof ApiError ? error.message : 'The codes could not be made.')
    } finally {
      setBusy(false)
    }
  }

  return (
    <form class="card" aria-labelledby="new-codes-title" onSubmit={(event) => void submit(event)} noValidate>
      <h2 id="new-codes-title">New codes</h2>
      <fieldset class="plain field">
        <legend>Kind</legend>
        <div class="check-row">
          {(['shared', 'pool'] as const).map((kind) => (
            <label class="checkbox" key={kind}>
              <input
                type="radio"
                name="code-kind"
                checked={draft.kind === kind}
                onChange={() => set('kind')(kind)}
              />
              <span>{kind === 'shared' ? 'One shared code' : 'A pool of unique codes'}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div class="grid-2">
        {draft.kind === 'shared' ? (
          text('code', 'Code', 'Like WINTER10: 3 to 50 letters, digits, _ and -.')
        ) : (
          <>
            {text('pool', 'How many codes', 'Each is used once unless Uses in total says more.', 'number')}
            {text('prefix', 'Prefix', 'Optional, before each random part: VIP-.')}
          </>
        )}
        {text('expiresAt', 'Expires', 'Optional.', 'datetime-local')}
        {text('minOrderValue', 'Minimum order value', 'Optional.', 'number')}
        {text('maxUses', 'Uses in total', 'Optional: no limit when empty (a pool code: 1).', 'number')}
        {text(
          'maxUsesPerCustomer',
          'Uses per customer',
          'Optional; the checkout then sends who the customer is.',
          'number',
        )}
      </div>
      {problem && (
        <p class="alert alert-error" role="alert">
          {problem}
        </p>
      )}
      <button type="submit" class="button button-primary" disabled={busy}>
        {draft.kind === 'shared' ? 'Create the code' : 'Create the codes'}
      </button>
    </form>
  )
}

const limitText = (value: number | null) => (value === null ? 'No limit' : formatCount(value))

/** The campaign's codes, oldest first, with their rules and how often each was used. */
function CodesTable({ codes }: { codes: PromoCode[] }) {
  return (
    <table class="table">
      <thead>
        <tr>
          <th scope="col">Code</th>
          <th scope="col">Kind</th>
          <th scope="col">Uses</th>
          <th scope="col">Per customer</th>
          <th scope="col">Minimum order</th>
          <th scope="col">Expires</th>
        </tr>
      </thead>
      <tbody>
        {codes.map((code) => (
          <tr key={code.id}>
            <th scope="row">
              <code>{code.code}</code>
            </th>
            <td>{code.kind === 'shared' ? 'Shared' : 'Pool'}</td>
            <td>
              {formatCount(code.uses)} of {limitText(code.maxUses)}
            </td>
            <td>{limitText(code.maxUsesPerCustomer)}</td>
            <td>{code.minOrderValue === null ? '—' : formatCount(code.minOrderValue)}</td>
            <td>{code.expiresAt ? formatDateTime(code.expiresAt) : 'Never'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** The orders that used the campaign's codes, newest first: value, discount, and whether the order was cancelled. */
function RedemptionsTable({ rows }: { rows: Redemption[] }) {
  return (
    <table class="table">
      <thead>
        <tr>
          <th scope="col">Order</th>
          <th scope="col">Code</th>
          <th scope="col">Order value</th>
          <th scope="col">Discount</th>
          <th scope="col">When</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.redemptionId}>
            <th scope="row">{row.orderId}</th>
            <td>
              <code>{row.code}</code>
            </td>
            <td>{formatMoney(row.orderValue, row.currency)}</td>
            <td>{formatMoney(row.discount, row.currency)}</td>
            <td>{formatDateTime(row.createdAt)}</td>
            <td>
              {row.status === 'released' ? (
                <Badge tone="neutral">
                  Released{row.releasedAt ? ` ${formatDateTime(row.releasedAt)}` : ''}
                </Badge>
              ) : (
                <Badge tone="good">Redeemed</Badge>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** The codes and redemptions of one campaign, and the form that makes more. */
function CampaignCodes({ campaignId }: { campaignId: string }) {
  const [notice, setNotice] = useState('')
  const codes = useCursorList<PromoCode>(
    campaignId,
    (cursor) => codesApi.listCodes(campaignId, { limit: pageSize, cursor }),
    'The codes could not be loaded.',
  )
  const redemptions = useCursorList<Redemption>(
    campaignId,
    (cursor) => codesApi.listRedemptions(campaignId, { limit: pageSize, cursor }),
    'The redemptions could not be loaded.',
  )
  useEffect(() => setNotice(''), [campaignId])
  const canWrite = useMay('write')
  return (
    <>
      <ReadOnlyNote capability="write" />
      {canWrite && (
        <CreateCodes
          campaignId={campaignId}
          onCreated={(count) => {
            setNotice(count === 1 ? 'The code was made.' : `${formatCount(count)} codes were made.`)
            codes.reload()
          }}
        />
      )}
      <p class="muted" role="status">
        {notice}
      </p>
      <section class="card table-card" aria-labelledby="codes-title">
        <h2 id="codes-title">Codes</h2>
        {codes.items.length > 0 ? (
          <CodesTable codes={codes.items} />
        ) : (
          !codes.loading &&
          !codes.error && <p class="muted">No codes yet: make a shared code or a pool above.</p>
        )}
        <ListFooter list={codes} loadingText="Loading codes…" />
      </section>
      <section class="card table-card" aria-labelledby="redemptions-title">
        <h2 id="redemptions-title">Redemptions</h2>
        {redemptions.items.length > 0 ? (
          <RedemptionsTable rows={redemptions.items} />
        ) : (
          !redemptions.loading &&
          !redemptions.error && (
            <p class="muted">
              No order has used a code yet. The shop’s checkout redeems them through the API.
            </p>
          )
        )}
        <ListFooter list={redemptions} loadingText="Loading redemptions…" />
      </section>
    </>
  )
}

/**
 * A campaign's promo codes (a sales campaign, a remarketing incentive): make a shared code or a pool of unique
 * codes (expiry, minimum order, uses in total and per customer), see each code's uses, and the orders that
 * redeemed them. `?campaign=<id>` opens one.
 */
export function PromoCodesPage({ sites, site, onSiteChange }: ScreenProps) {
  useTitle('Promo codes')
  const campaigns = useCodeCampaigns(site?.id)
  const [chosen, setChosen] = useState(() => new URLSearchParams(location.search).get('campaign') ?? '')
  const campaignId = campaigns?.some((c) => c.id === chosen) ? chosen : (campaigns?.[0]?.id ?? '')
  return (
    <div class="page">
      <header class="page-header">
        <h1 tabIndex={-1}>Promo codes</h1>
      </header>
      <div class="toolbar">
        <SitePicker sites={sites} site={site} onChange={onSiteChange} />
        {campaigns && campaigns.length > 0 && (
          <div class="field field-inline">
            <label for="codes-campaign">Campaign</label>
            <select
              id="codes-campaign"
              value={campaignId}
              onChange={(event) => setChosen(event.currentTarget.value)}
            >
              {campaigns.map((campaign) => (
                <option key={campaign.id} value={campaign.id}>
                  {campaign.name}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      {!campaigns ? (
        <p class="muted" role="status">
          {site ? 'Loading campaigns…' : ''}
        </p>
      ) : campaignId ? (
        <CampaignCodes key={campaignId} campaignId={campaignId} />
      ) : (
        <div class="card empty">
          <h2>No campaign with promo codes on this site</h2>
          <p class="muted">
            Promo codes belong to a sales campaign or a remarketing incentive: create one, then make its codes
            here.
          </p>
        </div>
      )}
    </div>
  )
}
