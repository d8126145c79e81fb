// The record-a-report form: explain the chosen channel's source reference; one submit only.
(function () {
  var data = document.getElementById("source-help-data");
  var select = document.getElementById("id_channel");
  var out = document.getElementById("source-help");
  if (data && select && out) {
    var help = JSON.parse(data.textContent);
    var show = function () { out.textContent = help[select.value] || ""; };
    select.addEventListener("change", show);
    show();
  }
  var form = document.getElementById("report-form");
  if (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (button) { button.disabled = true; }
    });
  }
})();
