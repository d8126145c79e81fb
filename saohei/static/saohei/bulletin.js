// Copy buttons of the figures pages. Without JavaScript the buttons' rows ([data-copy-row]) stay hidden
// and the text stays selectable in its read-only box; with it, a click copies the box's text.
(function () {
  "use strict";

  function flash(button) {
    var label = button.getAttribute("data-copied-label");
    if (!label) { return; }
    var before = button.textContent;
    button.textContent = label;
    window.setTimeout(function () { button.textContent = before; }, 2000);
  }

  function copy(button) {
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    if (!target) { return; }
    var text = target.value !== undefined ? target.value : target.textContent;
    function fallback() {
      target.focus();
      if (target.select) { target.select(); }
      try { if (document.execCommand("copy")) { flash(button); } } catch (e) { /* the text stays selected */ }
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { flash(button); }, fallback);
    } else {
      fallback();
    }
  }

  function init() {
    var buttons = document.querySelectorAll("[data-copy-target]");
    for (var i = 0; i < buttons.length; i++) {
      var row = buttons[i].closest("[data-copy-row]");
      if (row) { row.hidden = false; }
      buttons[i].addEventListener("click", function (evt) { copy(evt.currentTarget); });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
