// Tiny behaviours through data-* hooks (no inline scripts: the CSP forbids them).
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el instanceof HTMLElement && el.closest("[data-autosubmit]")) {
    const form = el.closest("form");
    if (form && !form.hasAttribute("hx-get")) form.requestSubmit();
  }
});
document.addEventListener("click", (event) => {
  const el = event.target;
  if (el instanceof HTMLElement && el.dataset.confirm && !window.confirm(el.dataset.confirm)) {
    event.preventDefault();
  }
});
