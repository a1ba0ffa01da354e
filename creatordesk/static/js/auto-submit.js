// Selects marked data-auto-submit (workspace and language switchers) submit their form when changed.
// An event listener instead of an onchange attribute: the Content-Security-Policy forbids inline script.
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    const select = event.target.closest("select[data-auto-submit]");
    if (select && select.form) select.form.submit();
  });
})();
