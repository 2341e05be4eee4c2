/**
 * A number input's text as the API expects it: blank is absent, and text that is not a number is sent as it
 * was typed, so the API refuses it and names the field.
 */
export function typedNumber(text: string): number | undefined {
  if (text.trim() === '') return undefined
  const value = Number(text)
  return Number.isFinite(value) ? value : (text as unknown as number)
}
