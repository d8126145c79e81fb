// Small helpers for htmx forms: show errors the server sends with 4xx statuses.
document.addEventListener("htmx:beforeSwap", function (evt) {
  var status = evt.detail.xhr.status;
  if (status === 400 || status === 403 || status === 404 || status === 409 || status === 422) {
    evt.detail.shouldSwap = true;
    evt.detail.isError = false;
  }
});
document.addEventListener("click", function (evt) {
  var t = evt.target;
  if (t && t.matches("[data-close-modal]")) {
    var m = document.getElementById("modal");
    if (m) { m.innerHTML = ""; }
  }
});
// Selects marked data-autosubmit submit their form on change (no inline handlers: the CSP forbids them).
document.addEventListener("change", function (evt) {
  var t = evt.target;
  if (t && t.matches && t.matches("select[data-autosubmit]") && t.form) { t.form.submit(); }
});
