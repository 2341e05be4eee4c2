import { useState } from 'preact/hooks'
import { object, textOf } from '../../../admin/config-fields'
import { Preview } from '../../../admin/preview'
import type { Config } from '../../../admin/promotion-type'
import type { Decision } from '../../../schema/serve'
import type { RemarketingDecision, RemarketingFill, RemarketingIncentive } from '../decision'
import { mount } from '../widget/index'

const samples = [
  { id: 'sample-1', title: 'A product they left', price: 49 },
  { id: 'sample-2', title: 'A product they viewed', price: 25 },
  { id: 'sample-3', title: 'Another one they viewed', price: 18 },
]

/** What the server would fill for a visitor of the audience, made from the config alone (`step` 2 for message 2). */
export function sampleFill(config: Config, step: 1 | 2): RemarketingFill {
  const fill: RemarketingFill = { step }
  if (config.dynamicContent === true) {
    const count = typeof config.maxProducts === 'number' ? config.maxProducts : 3
    fill.products = samples.slice(0, Math.max(1, count)).map((sample) => ({
      ...sample,
      url: 'https://example.com/',
      currency: 'EUR',
    }))
  }
  const incentive = config.incentive === undefined ? undefined : object(config.incentive)
  const type = textOf(incentive?.type)
  if (incentive && (type === 'percentage' || type === 'fixed_amount' || type === 'free_shipping')) {
    const shown: RemarketingIncentive = {
      type,
      value: typeof incentive.value === 'number' ? incentive.value : 0,
    }
    const currency = textOf(incentive.currency)
    if (/^[A-Z]{3}$/.test(currency)) shown.currency = currency
    const code = textOf(incentive.promoCode)
    // A code of their own is revealed in the preview as the sample code, with nothing asked of the API.
    if (code) shown.code = code
    else if (incentive.uniqueCodes === true) shown.unique = true
    fill.incentive = shown
  }
  const sequence = object(config.sequence)
  if (step === 2) {
    fill.message = { headline: textOf(sequence.headline) || 'Message 2' }
    if (textOf(sequence.body)) fill.message.body = textOf(sequence.body)
    if (textOf(sequence.ctaText)) fill.message.ctaText = textOf(sequence.ctaText)
  }
  return fill
}

/**
 * The reminder as a visitor of the audience sees it: the widget itself with sample products standing for theirs;
 * with a sequence, a choice between message 1 and message 2.
 */
export function RemarketingPreview({ decision }: { decision: Decision }) {
  const [step, setStep] = useState<1 | 2>(1)
  const config = decision.config
  const shown = config.sequence === undefined ? 1 : step
  const filled: RemarketingDecision = { ...decision, remarketing: sampleFill(config, shown) }
  const days = object(config.sequence).afterDays
  return (
    <>
      {config.sequence !== undefined && (
        <fieldset class="segmented">
          <legend class="visually-hidden">Message of the sequence</legend>
          {([1, 2] as const).map((option) => (
            <label key={option}>
              <input
                type="radio"
                name="remarketing-step"
                value={option}
                checked={shown === option}
                onChange={() => setStep(option)}
              />
              <span>
                {option === 1
                  ? 'Message 1'
                  : `Message 2${typeof days === 'number' ? `, after ${days} days` : ''}`}
              </span>
            </label>
          ))}
        </fieldset>
      )}
      <Preview decision={filled} mount={mount} />
    </>
  )
}
