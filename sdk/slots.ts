import { eventLimits as limits } from '../schema/limits'

const slotName = /^[A-Za-z0-9_.:-]{1,100}$/

/** The page's `[data-promo-slot]` elements by name: the first of each name, valid names only, as many as a request may carry. */
export function collectSlots(root: ParentNode): Map<string, HTMLElement> {
  const slots = new Map<string, HTMLElement>()
  for (const element of root.querySelectorAll<HTMLElement>('[data-promo-slot]')) {
    const name = element.dataset.promoSlot ?? ''
    if (slotName.test(name) && !slots.has(name) && slots.size < limits.slots) slots.set(name, element)
  }
  return slots
}
