import { act } from 'preact/test-utils'

/** DOM helpers for the targeting editors' happy-dom tests: find controls by their labels and use them. */

export function click(element: Element | null | undefined) {
  if (!element) throw new Error('nothing to click')
  act(() => {
    element.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }))
  })
}

/** A click as the keyboard makes it (Enter or Space on a button): `detail` 0. */
export function keyClick(element: Element | null | undefined) {
  if (!element) throw new Error('nothing to press')
  act(() => {
    element.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, detail: 0 }))
  })
}

export function typeInto(element: Element | null | undefined, value: string) {
  if (!(element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement))
    throw new Error('not a text control')
  act(() => {
    element.value = value
    element.dispatchEvent(new Event('input', { bubbles: true }))
  })
}

export function choose(element: Element | null | undefined, value: string) {
  if (!(element instanceof HTMLSelectElement)) throw new Error('not a select')
  act(() => {
    element.value = value
    element.dispatchEvent(new Event('change', { bubbles: true }))
  })
}

export function press(element: Element | null | undefined, key: string) {
  if (!element) throw new Error('nothing to press a key on')
  act(() => {
    element.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }))
  })
}

/** The text assistive tech reads (aria-hidden parts left out), trimmed, with runs of spaces as one. */
function textOf(element: Element): string {
  const copy = element.cloneNode(true) as Element
  for (const hidden of copy.querySelectorAll('[aria-hidden="true"]')) hidden.remove()
  return (copy.textContent ?? '').replace(/\s+/g, ' ').trim()
}

/** The buttons whose text is `name` (exactly), in document order. */
export const buttonsNamed = (root: ParentNode, name: string) =>
  [...root.querySelectorAll('button')].filter((button) => textOf(button) === name)

export function buttonNamed(root: ParentNode, name: string): HTMLButtonElement {
  const found = buttonsNamed(root, name)[0]
  if (!found) throw new Error(`no button “${name}”`)
  return found
}

/** The control a label names (its `for`), the label matched by its whole text. */
export function labelled<T extends Element = HTMLElement>(root: ParentNode, label: string, index = 0): T {
  const labels = [...root.querySelectorAll('label')].filter((element) => textOf(element) === label)
  const target = labels[index]?.htmlFor
  const control = target ? root.querySelector(`#${CSS.escape(target)}`) : null
  if (!control) throw new Error(`no control labelled “${label}” (#${index})`)
  return control as unknown as T
}
