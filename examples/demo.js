// The queue stub from the Promo docs: safe to call before the SDK has loaded.
// (The one-line stub from the docs pushes `arguments`; this spelled-out form queues the same calls.)
window.Promo =
  window.Promo ||
  function queue(...args) {
    window.Promo.q = window.Promo.q || []
    window.Promo.q.push(args)
  }

Promo('page', { section: 'winter-collection' })
Promo('on', 'click', (detail) => console.info('[demo] promo clicked', detail))

// A shop reports its own conversions with Meta's standard event names.
document.addEventListener('click', (event) => {
  const button = event.target instanceof Element ? event.target.closest('button.add') : null
  if (!button) return
  const count = document.getElementById('cart-count')
  if (count) count.textContent = String(Number(count.textContent || '0') + 1)
  Promo('track', 'AddToCart', {
    sku: button.dataset.sku,
    value: Number(button.dataset.price),
    currency: 'EUR',
  })
})
