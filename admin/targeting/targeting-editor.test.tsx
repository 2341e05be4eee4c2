// @vitest-environment happy-dom
import { useState } from 'preact/hooks'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Targeting } from '../../schema/targeting'
import { targeting as targetingSchema } from '../../schema/targeting'
import { json, renderInto, settle } from '../testing/render'
import { TargetingEditor } from './targeting-editor'
import { buttonNamed, buttonsNamed, choose, click, labelled, typeInto } from './testing/dom'

/** The editor as a page holds it: its value in state, every change recorded. */
function Harness({
  start,
  seen,
  errors,
}: {
  start: Targeting
  seen: Targeting[]
  errors?: Map<string, string>
}) {
  const [value, setValue] = useState(start)
  return (
    <TargetingEditor
      value={value}
      errors={errors}
      siteId="s1"
      onChange={(next) => {
        seen.push(next)
        setValue(next)
      }}
    />
  )
}

const audiences = {
  data: [
    { key: 'customer', name: 'Customer', description: 'Bought once', builtIn: true },
    { key: 'loyal_customer', name: 'Loyal customer', description: 'Bought thrice', builtIn: true },
  ],
}

let unmount = () => {}
afterEach(() => {
  unmount()
  vi.unstubAllGlobals()
})

function mount(start: Targeting, errors?: Map<string, string>) {
  const fetch = vi.fn(async (_url: string) => json(200, audiences))
  vi.stubGlobal('fetch', fetch)
  const seen: Targeting[] = []
  const view = renderInto(<Harness start={start} seen={seen} errors={errors} />)
  unmount = view.unmount
  return { ...view, seen, fetch, last: () => seen[seen.length - 1] }
}

const sentence = (container: HTMLElement) =>
  container.querySelector('.targeting-sentence')?.textContent?.replace('Who sees it: ', '')

describe('the targeting editor', () => {
  it('builds “mobile visitors from utm_source=newsletter, not in France” as the schema’s exact value', async () => {
    const { container, last, fetch } = mount({})
    await settle()
    expect(fetch.mock.calls[0]?.[0]).toBe('/api/v1/audiences?siteId=s1')
    expect(sentence(container)).toBe('Every visitor.')

    click(buttonNamed(container, 'Add condition'))
    choose(labelled(container, 'Field'), 'device')
    click(labelled(container, 'Mobile'))
    click(buttonNamed(container, 'Add condition'))
    choose(labelled(container, 'Field', 1), 'utm_source')
    expect(labelled<HTMLSelectElement>(container, 'Operator for utm source').value).toBe('equals')
    typeInto(labelled(container, 'UTM source value'), 'newsletter')

    const include = {
      all: [
        { field: 'device', op: 'in', values: ['mobile'] },
        { field: 'utm_source', op: 'equals', value: 'newsletter' },
      ],
    }
    expect(last()).toEqual({ include })
    expect(sentence(container)).toBe('Visitors on mobile whose utm_source is newsletter.')

    click(buttonNamed(container, 'Exclude some visitors'))
    click(buttonsNamed(container, 'Add condition')[1])
    choose(labelled(container, 'Field', 2), 'country')
    typeInto(labelled(container, 'Countries'), 'fran')
    click(buttonNamed(container, 'France (FR)'))

    const built = { include, exclude: { all: [{ field: 'country', op: 'in', values: ['FR'] }] } }
    expect(last()).toEqual(built)
    expect(targetingSchema.parse(last())).toEqual(built)
    expect(sentence(container)).toBe('Visitors on mobile whose utm_source is newsletter, not in France.')

    // Taking the country back out leaves the condition asking for one; removing it leaves no exclude rule.
    click(buttonNamed(container, 'Remove France (FR)'))
    expect(last()?.exclude).toEqual({ all: [{ field: 'country', op: 'in', values: [] }] })
    expect(container.textContent).toContain('Choose at least one value.')
    click(buttonNamed(container, 'Remove the country condition'))
    expect(last()).toEqual({ include })
    expect(sentence(container)).toBe('Visitors on mobile whose utm_source is newsletter.')
  })

  it('offers segments by name and keeps every field of a loaded rule through an edit and back', async () => {
    const start: Targeting = {
      include: {
        any: [
          { field: 'segment', op: 'in', values: ['loyal_customer'] },
          {
            all: [
              { field: 'language', op: 'in', values: ['fr'] },
              { not: { field: 'url', op: 'glob', value: 'https://a.example/*/p?' } },
              { field: 'trait', key: 'seats', op: 'in', values: [5, 10] },
              { field: 'trait', key: 'vip', op: 'equals', value: true },
              { field: 'pages_this_session', op: 'gte', value: 3 },
            ],
          },
        ],
      },
      exclude: { field: 'referrer', op: 'contains', value: 'google' },
    }
    const { container, last } = mount(start)
    await settle()
    expect(labelled<HTMLInputElement>(container, 'Loyal customer').checked).toBe(true)
    expect(labelled<HTMLInputElement>(container, 'Customer').checked).toBe(false)
    expect(sentence(container)).toContain('in the segment Loyal customer or (who speak French')

    const match = labelled<HTMLSelectElement>(container, 'Visitors who match')
    choose(match, 'all')
    expect(last()?.include).toEqual({ all: (start.include as { any: unknown[] }).any })
    choose(match, 'any')
    expect(last()).toEqual(start)
  })

  it('shows an API error at the condition it is about', () => {
    const start: Targeting = {
      include: {
        all: [
          { field: 'device', op: 'in', values: ['mobile'] },
          { field: 'country', op: 'in', values: ['FR'] },
        ],
      },
    }
    const errors = new Map([
      ['targeting.include.all.1.values.0', 'must be an ISO 3166-1 alpha-2 code like US'],
    ])
    const { container } = mount(start, errors)
    const field = labelled<HTMLSelectElement>(container, 'Field', 1)
    expect(field.value).toBe('country')
    expect(field.getAttribute('aria-invalid')).toBe('true')
    const message = container.querySelector(`#${field.getAttribute('aria-describedby')}`)
    expect(message?.textContent).toBe('must be an ISO 3166-1 alpha-2 code like US')
    expect(labelled(container, 'Field').getAttribute('aria-invalid')).toBe('false')
  })

  it('tries a sample visitor against the rules, rule by rule', async () => {
    const { container } = mount({
      include: {
        all: [
          { field: 'device', op: 'in', values: ['mobile'] },
          { field: 'utm_source', op: 'equals', value: 'newsletter' },
        ],
      },
    })
    await settle()
    const verdict = () => container.querySelector('.try-verdict')?.textContent
    const lines = () => [...container.querySelectorAll('.verdicts li')].map((li) => li.textContent)
    expect(verdict()).toBe('This visitor would be shown the campaign.')
    expect(lines()).toEqual(['Yes All of these', 'Yes on mobile', 'Yes whose utm_source is newsletter'])

    choose(container.querySelector('#try-visitor-device'), 'desktop')
    expect(verdict()).toBe('This visitor would not be shown the campaign.')
    expect(lines()).toEqual(['No All of these', 'No on mobile', 'Yes whose utm_source is newsletter'])

    choose(container.querySelector('#try-visitor-device'), 'mobile')
    typeInto(container.querySelector('#try-visitor-url'), 'https://shop.example/')
    expect(lines()[2]).toBe('No whose utm_source is newsletter')
    typeInto(container.querySelector('#try-visitor-utm_source'), 'Newsletter')
    expect(verdict()).toBe('This visitor would be shown the campaign.')
  })
})
